import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file in a process of its own (the tests spy on globals, fake timers, name temp files by pid).
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one at a time on a 2-core machine. Most files spend
    // their time waiting on child processes, sockets, a browser or redis-server, so one more worker than cores
    // pays off (2 cores: 1 worker 139 s, 2 workers 71 s, 3 workers 64 s, 4 workers 64 s).
    maxWorkers: availableParallelism() + 1,
  },
});
