import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadline } from '../../src/sinch/deadline.js';

// Time is the subject here: a fake clock moves it, so nothing waits and a busy machine changes nothing.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('deadline', () => {
  it('expires after its time and says so', async () => {
    const limit = deadline(20);
    await vi.advanceTimersByTimeAsync(40);
    expect(limit.signal.aborted).toBe(true);
    expect(limit.expired()).toBe(true);
  });

  it('follows the caller’s cancel without counting as expired', () => {
    const caller = new AbortController();
    const limit = deadline(10_000, caller.signal);
    caller.abort();
    expect(limit.signal.aborted).toBe(true);
    expect(limit.expired()).toBe(false);
    limit.release();
  });

  it('release stops the timer and detaches from the caller', async () => {
    const caller = new AbortController();
    const limit = deadline(20, caller.signal);
    limit.release();
    caller.abort();
    await vi.advanceTimersByTimeAsync(40);
    expect(limit.signal.aborted).toBe(false);
  });
});
