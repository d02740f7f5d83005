// Retained heap, for tests that bound memory: the engine's full collector, exposed on demand, runs first so the
// figure is what is kept, not garbage.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function retainedHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
