// For tests that take Redis away under a running server: stderr captured (the server reports losses there), a
// throwaway directory for the append-only file, and one cleanup for the harness, the redis-server and the files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Harness } from './mcp.js';
import type { RedisServer } from './redis.js';

/** The deployment secret every instance of a test shares (SINCH_STATE_SECRET, at least 32 bytes). */
export const SECRET = 'a deployment secret of at least 32 bytes, for tests';

export interface FaultScene {
  redis?: RedisServer;
  h?: Harness;
  /** A directory for the append-only file, removed by cleanUp(). */
  persistDir(): string;
  /** What the process wrote to stderr since the scene began (still written through). */
  stderr(): string;
  cleanUp(): Promise<void>;
}

export function faultScene(): FaultScene {
  let text = '';
  const dirs: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    text += String(chunk);
    return write(chunk, ...rest);
  });
  const scene: FaultScene = {
    persistDir: () => {
      const dir = mkdtempSync(join(tmpdir(), 'redis-aof-'));
      dirs.push(dir);
      return dir;
    },
    stderr: () => text,
    async cleanUp() {
      vi.restoreAllMocks();
      await scene.h?.close();
      await scene.redis?.kill();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  return scene;
}
