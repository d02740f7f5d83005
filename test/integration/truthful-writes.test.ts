// A write is reported as what it was: once Sinch accepted it, nothing after (the shared state, an unreadable
// answer) turns it into a failure that invites a second call; a write whose outcome is unknown is never told
// to "retry later". A real redis-server is cut between Sinch's 200 and the call-state write.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';
import { type RedisServer, startRedisServer } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

const UNATTENDED = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true', SINCH_STATE_SECRET: 'a-test-secret-of-at-least-32-bytes!!' };
let h: Harness | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await h?.close();
  await redis?.kill();
  h = redis = undefined;
});

describe('truthful outcomes of writes', () => {
  it('Redis lost between Sinch\'s 200 and the call-state write: done, with the callId and a warning, audited ok', async () => {
    redis = await startRedisServer();
    h = await harness({ env: { ...UNATTENDED, SINCH_REDIS_URL: redis.url } });
    // Sinch takes a moment to answer the callout; Redis dies while it does.
    h.sandbox.faults.add({ kind: 'delay', ms: 1_500 }, { path: '/callouts', times: 1 });
    const placing = h.call('conference_callout', { destination: '+46708168731', conferenceId: 'board', label: 'Anna' });
    await until(() => h!.sandbox.requests.some((r) => r.path.endsWith('/callouts')), { what: 'the callout to reach Sinch' });
    await redis.kill();
    const placed = await placing;
    expect(placed.isError, placed.text).toBeFalsy();
    expect(placed.structured).toMatchObject({ status: 'done', result: { callId: expect.any(String), label: 'Anna' } });
    expect(placed.structured.warning).toMatch(/the call went ahead \(callId \w+\), but this server could not record it/);
    expect(placed.text).toMatch(/\nWarning: the call went ahead/);
    expect(h.sandbox.requests.filter((r) => r.path.endsWith('/callouts'))).toHaveLength(1);
    expect(h.audit.filter((line) => line.phase === 'outcome').at(-1)).toMatchObject({ tool: 'conference_callout', outcome: 'ok' });
  });

  it.each([502, 503, 504])('a callout answered %s may have happened: the answer says to read the state first, never to retry later', async (status) => {
    h = await harness({ env: UNATTENDED });
    h.sandbox.faults.add({ kind: 'status', status }, { path: '/callouts', times: 1 });
    const placed = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi' });
    expect(placed.isError).toBe(true);
    expect(placed.text).toMatch(/may or may not have happened: read the state \(get_call_result/);
    expect(placed.text).not.toMatch(/retry later/i);
    expect(h.sandbox.requests.filter((r) => r.path.endsWith('/callouts'))).toHaveLength(1);
    expect(h.audit.filter((line) => line.phase === 'outcome').at(-1)).toMatchObject({ outcome: 'unknown' });
  });

  it('a 2xx whose body cannot be read: it most likely happened, and the answer says so', async () => {
    h = await harness({ env: UNATTENDED });
    h.sandbox.faults.add({ kind: 'invalidJson' }, { path: '/callouts', times: 1 });
    const placed = await h.call('tts_callout', { destination: '+46708168731', text: 'Hi' });
    expect(placed.isError).toBe(true);
    expect(placed.text).toMatch(/accepted the request \(HTTP 2xx\), so it most likely happened.*read the state/);
    expect(placed.text).not.toMatch(/retry later/i);
  });

  it('a kick answered 502 is not retried and not called a failure to retry', async () => {
    h = await harness({ env: UNATTENDED });
    const callId = h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'board', ratePerMinute: 0.01 }).callId;
    h.sandbox.state.calls.get(callId)!.answerAt = 0;
    h.sandbox.faults.add({ kind: 'status', status: 502 }, { path: `/conferences/id/board/${callId}`, times: 1 });
    const kicked = await h.call('kick_participant', { conferenceId: 'board', callId });
    expect(kicked.isError).toBe(true);
    expect(kicked.text).toMatch(/may or may not have happened/);
    expect(h.sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
