// Outstanding confirmation previews must not hold the request they preview: 1 000 tokens for the largest
// manage_call stay under +20 MiB of retained heap.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CallState } from '../../src/state/calls.js';
import { ConfirmationTokens } from '../../src/confirm/tokens.js';
import { MemoryState } from '../../src/state/memory.js';
import { manageCall } from '../../src/tools/calls.js';

/** The engine's full collector: exposed on demand, so the measurement is retained memory, not garbage. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function retainedHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('confirmation tokens: memory', () => {
  it('1 000 outstanding previews of a maximal manage_call retain under 20 MiB', async () => {
    const gc = collector();
    // 10 instructions x 20 prompt ids x 600 characters: the largest body manage_call accepts (~120 KB).
    const id = (i: number, j: number) => `#tts[${`${i}-${j} `.repeat(200)}]`.slice(0, 600);
    const args = manageCall.input.parse({
      callId: 'c'.repeat(32),
      action: 'hangup',
      instructions: Array.from({ length: 10 }, (_, i) => ({ name: 'playFiles', ids: Array.from({ length: 20 }, (_, j) => id(i, j)) })),
    });
    const context = { applicationKey: async () => 'app', calls: CallState.inMemory(), read: () => Promise.reject(new Error('manage_call reads nothing')) };
    const sample = await manageCall.plan!(args, context);
    expect(JSON.stringify(sample.request.body).length).toBeGreaterThan(115_000);

    const tokens = new ConfirmationTokens(new MemoryState(), Date.now);
    const issued: string[] = [];
    const before = retainedHeap(gc);
    // A fresh request per preview, as the server builds one per tool call; only the tokens keep anything.
    for (let n = 0; n < 1_000; n++) issued.push((await tokens.issue('manage_call', (await manageCall.plan!(args, context)).request)).token);
    const grown = retainedHeap(gc) - before;
    expect(grown).toBeLessThan(20 * 1024 * 1024);

    // Still bound to the exact request: the last token redeems for the same request, not for another one.
    const last = issued.at(-1)!;
    await expect(tokens.redeem(last, 'manage_call', sample.request)).resolves.toBeUndefined();
    const other = { ...sample.request, body: { ...(sample.request.body as object), action: { name: 'continue' } } };
    await expect(tokens.redeem(issued[0]!, 'manage_call', other)).rejects.toThrow(/different arguments/);
  });
});
