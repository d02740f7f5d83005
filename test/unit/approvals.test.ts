// Pending approvals: decided once, expire on their own, and one caller cannot fill the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Approvals } from '../../src/confirm/approvals.js';
import type { Preview } from '../../src/confirm/preview.js';
import { MemoryState } from '../../src/state/memory.js';

const PREVIEW: Preview = { title: 'T', facts: [], summary: 's', request: 'DELETE /x', rows: [] };

afterEach(() => {
  vi.useRealTimers();
});

describe('Approvals', () => {
  it('only the first decision counts, with the right page token; the waiter learns who decided', async () => {
    const approvals = new Approvals(new MemoryState());
    const pending = await approvals.create(PREVIEW, 60_000);
    expect(await approvals.decide(pending.id, 'approve', 'wrong-token')).toBe('forbidden');
    expect(await approvals.decide(pending.id, 'approve', pending.pageToken, 'anna')).toBe('approved');
    expect(await approvals.decide(pending.id, 'deny', pending.pageToken, 'bob')).toBe('decided');
    expect(await pending.settled).toEqual({ state: 'approved', by: 'anna' });
  });

  it('expires on its own; a late decision changes nothing', async () => {
    vi.useFakeTimers();
    const approvals = new Approvals(new MemoryState());
    const pending = await approvals.create(PREVIEW, 200);
    await vi.advanceTimersByTimeAsync(200);
    expect((await pending.settled).state).toBe('expired');
    expect(await approvals.decide(pending.id, 'approve', pending.pageToken)).toBe('expired');
  });

  it('one caller may have at most 20 actions waiting; others still may ask', async () => {
    const approvals = new Approvals(new MemoryState());
    for (let i = 0; i < 20; i++) await approvals.create(PREVIEW, 60_000, { requestedBy: 'carol' });
    await expect(approvals.create(PREVIEW, 60_000, { requestedBy: 'carol' })).rejects.toThrow(/20 of your actions/);
    await expect(approvals.create(PREVIEW, 60_000, { requestedBy: 'bob' })).resolves.toMatchObject({ state: 'pending' });
  });

  it('close() ends every call still waiting, as cancelled, so the shared state can close under it', async () => {
    const state = new MemoryState();
    const approvals = new Approvals(state, { pollMs: 60_000 });
    const pending = await approvals.create(PREVIEW, 60_000);
    approvals.close();
    expect(await pending.settled).toEqual({ state: 'cancelled' });
    await state.close();
  });
});
