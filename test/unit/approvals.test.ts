// Pending approvals: decided once, expire on their own, and one caller cannot fill the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Approvals } from '../../src/confirm/approvals.js';
import type { Preview } from '../../src/confirm/preview.js';
import { Keyring } from '../../src/state/mac.js';
import { MemoryState } from '../../src/state/memory.js';
import { SignedState } from '../../src/state/signed.js';

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

  it('over a state others can write to: a forged decision releases nothing, and the waiter still ends at its deadline', async () => {
    vi.useFakeTimers();
    const inner = new MemoryState();
    const keys = new Keyring('a-state-secret-for-the-approval-test');
    const approvals = new Approvals(new SignedState(inner, keys, () => {}), { keys });
    const pending = await approvals.create(PREVIEW, 1_000);
    await inner.set(`approval-decision:${pending.id}`, JSON.stringify({ state: 'approved', by: 'mallory' }), 60_000);
    await inner.publish(`approval:${pending.id}`, 'approved');
    expect((await approvals.get(pending.id))?.state).toBe('pending');
    // The slot is taken by what nobody can read: the person cannot approve it either.
    expect(await approvals.decide(pending.id, 'approve', pending.pageToken, 'anna')).toBe('decided');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending.settled).toEqual({ state: 'expired' });
  });

  it('keeps only the hash of the page token; during a rotation a page made under the previous secret still decides', async () => {
    const state = new MemoryState();
    const before = new Approvals(state, { keys: new Keyring('the-previous-secret-0123456789abcdef') });
    const after = new Approvals(state, { keys: new Keyring('the-current-secret-0123456789abcdefgh', 'the-previous-secret-0123456789abcdef') });
    const pending = await before.create(PREVIEW, 60_000);
    const stored = (await state.get(`approval:${pending.id}`))!;
    expect(stored).not.toContain(pending.pageToken);
    expect(JSON.parse(stored)).toHaveProperty('pageTokenHash');
    expect((await after.get(pending.id))?.pageToken).toBe(pending.pageToken);
    expect(await after.decide(pending.id, 'approve', pending.pageToken, 'anna')).toBe('approved');
    expect(await pending.settled).toEqual({ state: 'approved', by: 'anna' });
  });
});
