// `npm run bench`: bundles the baseline and the benchmark itself into bench/.build, then runs it.
import { rm } from 'node:fs/promises';
import { bundle } from './bundle.mjs';

await rm('bench/.build', { recursive: true, force: true });
await bundle({ baseline: 'bench/baseline-server.ts' }, 'bench/.build/baseline');
await bundle({ run: 'bench/run.ts' }, 'bench/.build/run');
await import('../bench/.build/run/run.js');
