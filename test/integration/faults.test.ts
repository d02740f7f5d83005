// The sandbox misbehaves; every tool answer stays a clear result and the retry rules hold (the sandbox counts).
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

let h: Harness;
afterEach(async () => h?.close());

const SKIP = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' };

describe('faults', () => {
  it('hang: the tool fails within SINCH_TIMEOUT_MS + 1 s, and other calls are served meanwhile', async () => {
    h = await harness({ timeoutMs: 1_000 });
    h.sandbox.faults.add({ kind: 'hang' }, { path: '/calls/id/', times: 5 });
    // Warmed up first, so the call served meanwhile does not pay for loading modules on a busy machine.
    expect((await h.call('list_numbers')).isError).toBeFalsy();
    const started = Date.now();
    let settled = false;
    const hanging = h.call('get_call_result', { callId: 'abc' }).finally(() => (settled = true));
    const other = await h.call('list_numbers');
    expect(other.isError).toBeFalsy();
    // Answered while the first call still hangs: its request is still open at the sandbox, its tool call unanswered.
    expect(settled).toBe(false);
    expect(h.sandbox.requests.find((r) => r.path.includes('/calls/id/abc'))?.status).toBeUndefined();
    const result = await hanging;
    const elapsed = Date.now() - started;
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/did not answer in time/);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_000);
  });

  it.each([
    // Retried (3 attempts in all): network errors, 429, 502, 503, 504. Not retried: 500, and a 200 that is not JSON.
    ['connection reset', { kind: 'reset' as const }, /network error|ECONNRESET|socket/i, 3],
    ['500 with an HTML body', { kind: 'status' as const, status: 500, html: true }, /500.*HTML page/, 1],
    ['502 with an HTML body', { kind: 'status' as const, status: 502, html: true }, /502.*HTML page/, 3],
    ['200 with invalid JSON', { kind: 'invalidJson' as const }, /not valid JSON/, 1],
    ['429 without Retry-After', { kind: 'status' as const, status: 429 }, /429 \(errorCode 42900\).*slow down/, 3],
    ['503', { kind: 'status' as const, status: 503 }, /503/, 3],
  ])('%s: a clear isError, the GET retried only where it may help', async (_name, fault, message, attempts) => {
    h = await harness();
    h.sandbox.faults.add(fault, { times: 10 });
    const result = await h.call('get_conference', { conferenceId: 'room' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(message);
    expect(h.sandbox.requests).toHaveLength(attempts);
  });

  it('429 with Retry-After: the GET waits as told, then succeeds', async () => {
    h = await harness();
    h.sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '1' });
    const started = Date.now();
    const result = await h.call('list_numbers');
    expect(result.isError).toBeFalsy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(h.sandbox.requests).toHaveLength(2);
  });

  it('429 with a Retry-After longer than the deadline fails at once, saying to slow down', async () => {
    h = await harness({ timeoutMs: 2_000 });
    h.sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '30' });
    const started = Date.now();
    const result = await h.call('list_numbers');
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/slow down/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it.each([
    ['POST', 'tts_callout', { destination: '+46708168731', text: 'Hi' }],
    ['PATCH', 'mute_participants', { conferenceId: 'room', callIds: ['abc'] }],
    ['DELETE', 'kick_all_participants', { conferenceId: 'room' }],
  ])('a %s is never retried, whatever the fault', async (_method, tool, args) => {
    for (const fault of [{ kind: 'reset' as const }, { kind: 'status' as const, status: 503 }, { kind: 'status' as const, status: 429, retryAfter: '0' }]) {
      h = await harness({ env: SKIP });
      h.sandbox.faults.add(fault, { times: 10 });
      const result = await h.call(tool, args);
      expect(result.isError, JSON.stringify(fault)).toBe(true);
      expect(h.sandbox.requests, JSON.stringify(fault)).toHaveLength(1);
      expect(h.sandbox.state.calls.size).toBe(0);
      await h.close();
    }
    h = await harness();
  });

  it('a 2xx answer without a callId is still audited: outcome ok (Sinch accepted it), with what went wrong', async () => {
    h = await harness({ env: SKIP });
    h.sandbox.faults.add({ kind: 'status', status: 200 }, { path: '/callouts' });
    const result = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/returned no callId/);
    expect(h.audit.map((e) => [e.phase, e.outcome])).toEqual([
      ['intent', undefined],
      ['outcome', 'ok'],
    ]);
    expect(h.audit[1]!.error).toMatch(/returned no callId/);
  });

  it('a timed-out callout warns that it may have happened, so nobody is called twice', async () => {
    h = await harness({ env: SKIP, timeoutMs: 500 });
    h.sandbox.faults.add({ kind: 'hang' });
    const result = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/may or may not have happened/);
    // It may have reached Sinch: the audit trail says "unknown", after an intent line written before sending.
    expect(h.audit.map((e) => [e.phase, e.tool, e.outcome])).toEqual([
      ['intent', 'tts_callout', undefined],
      ['outcome', 'tts_callout', 'unknown'],
    ]);
  });

  it('the client cancels a call: the HTTP request is aborted', async () => {
    h = await harness({ timeoutMs: 10_000 });
    h.sandbox.faults.add({ kind: 'hang' });
    const controller = new AbortController();
    const pending = h.client.callTool({ name: 'get_conference', arguments: { conferenceId: 'room' } }, undefined, { signal: controller.signal });
    await until(() => h.sandbox.requests.length === 1, { what: 'the request to reach the sandbox' });
    controller.abort('user pressed stop');
    await expect(pending).rejects.toThrow();
    await until(() => h.sandbox.requests[0]!.aborted === true, { what: 'the sandbox to see the request aborted' });
    expect(h.sandbox.requests).toHaveLength(1);
    // The server is still fine.
    expect((await h.call('list_numbers')).isError).toBeFalsy();
  });
});
