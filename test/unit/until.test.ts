// The helper every test waits with: it must hand back what it waited for and say what it missed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from '../helpers/until.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('until', () => {
  it('resolves with the first truthy value of a sync or async condition', async () => {
    let checks = 0;
    expect(await until(() => ++checks >= 3 && 'ready', { what: 'three checks', intervalMs: 1 })).toBe('ready');
    expect(await until(async () => [1], { what: 'a list' })).toEqual([1]);
  });

  it('rejects after timeoutMs, naming what it waited for', async () => {
    vi.useFakeTimers();
    const waiting = until(() => false, { what: 'the start-up line', timeoutMs: 1_000 });
    const failed = expect(waiting).rejects.toThrow('timed out after 1000 ms waiting for the start-up line');
    await vi.advanceTimersByTimeAsync(1_000);
    await failed;
  });

  it('passes on an error the condition throws', async () => {
    await expect(until(() => JSON.parse('{'), { what: 'valid JSON' })).rejects.toThrow(SyntaxError);
  });
});
