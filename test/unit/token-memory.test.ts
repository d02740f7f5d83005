// Outstanding confirmation previews must not hold the request they preview: 1 000 tokens for the largest
// manage_call stay under +20 MiB of retained heap (the pending caps lifted: this measures one token's cost).
import { describe, expect, it } from 'vitest';
import { CallState } from '../../src/state/calls.js';
import { PendingCaps } from '../../src/confirm/pending-caps.js';
import { ConfirmationTokens } from '../../src/confirm/tokens.js';
import { MemoryState } from '../../src/state/memory.js';
import { manageCall } from '../../src/tools/calls.js';
import { retainedHeap } from '../helpers/heap.js';

describe('confirmation tokens: memory', () => {
  it('1 000 outstanding previews of a maximal manage_call retain under 20 MiB', async () => {
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

    const tokens = new ConfirmationTokens(new MemoryState(), Date.now, undefined, new PendingCaps(Date.now, Infinity, Infinity));
    const issued: string[] = [];
    const before = retainedHeap();
    // A fresh request per preview, as the server builds one per tool call; only the tokens keep anything.
    for (let n = 0; n < 1_000; n++) issued.push((await tokens.issue('manage_call', (await manageCall.plan!(args, context)).request)).token);
    const grown = retainedHeap() - before;
    expect(grown).toBeLessThan(20 * 1024 * 1024);

    // Still bound to the exact request: the last token redeems for the same request, not for another one.
    const last = issued.at(-1)!;
    await expect(tokens.redeem(last, 'manage_call', sample.request)).resolves.toBeUndefined();
    const other = { ...sample.request, body: { ...(sample.request.body as object), action: { name: 'continue' } } };
    await expect(tokens.redeem(issued[0]!, 'manage_call', other)).rejects.toThrow(/different arguments/);
  });
});
