// What a Redis restart must not undo, on a real redis-server: the callout cap and the replay cache hold whether
// Redis persists (the shipped compose file: appendonly yes) or comes back empty (the instances notice a vanished
// marker and fail closed); reads work while Redis is down.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';
import { startRedisServer } from '../helpers/redis.js';
import { type FaultScene, SECRET, faultScene } from '../helpers/redis-faults.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';
const TTS = { destination: '+46 70 816 87 31', text: 'Hello', cli: '+1 404 500 5000' };

let scene: FaultScene;
beforeEach(() => {
  scene = faultScene();
});
afterEach(() => scene.cleanUp());

async function instance(url: string): Promise<Harness> {
  return (scene.h = await harness({ callbacksAt: PUBLIC_URL, env: { SINCH_REDIS_URL: url, SINCH_STATE_SECRET: SECRET, SINCH_MAX_CALLOUTS_PER_MINUTE: '2' } }));
}

/** A signed DiCE as Sinch would send it, to be sent again later (a captured callback). */
function capturedDice(h: Harness, callId: string) {
  const body = JSON.stringify({ event: 'dice', callid: callId, reason: 'CALLEEHANGUP', result: 'ANSWERED', timestamp: new Date().toISOString() });
  const timestamp = new Date().toISOString();
  const authorization = applicationAuthorization(h.sandbox.app.key, h.sandbox.app.secret, { method: 'POST', body, contentType: 'application/json', timestamp, path: '/sinch/events' });
  return async () => {
    const response = await fetch(h.receiver!.localUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, authorization } });
    return { status: response.status, body: await response.text() };
  };
}

async function restart(options: { persistDir?: string }, stderr: () => string): Promise<void> {
  const { port } = scene.redis!;
  const restored = stderr().split('restored').length;
  await scene.redis!.kill();
  scene.redis = await startRedisServer({ port, ...options });
  await until(() => stderr().split('restored').length > restored, { what: 'the instance to reconnect' });
}

describe('Redis restarted: cap and replay cache still hold', () => {
  it('with persistence (appendonly yes, as shipped): the window and the replay cache come back with Redis', async () => {
    const persistDir = scene.persistDir();
    const { stderr } = scene;
    const h = await instance((scene.redis = await startRedisServer({ persistDir })).url);
    for (let i = 0; i < 2; i++) expect((await confirmed(h, 'tts_callout', TTS)).structured.status).toBe('done');
    const replay = capturedDice(h, 'captured-1');
    expect((await replay()).status).toBe(200);
    expect(h.events!.list({ callId: 'captured-1' })).toHaveLength(1);

    await restart({ persistDir }, stderr);
    // Refused before anyone is asked (the preview's check), and again at sending if it got that far.
    const third = await h.call('tts_callout', TTS);
    expect(third.isError).toBe(true);
    expect(third.text).toMatch(/2 callouts in the last minute is the limit/);
    expect(await replay()).toEqual({ status: 200, body: '' });
    expect(h.events!.list({ callId: 'captured-1' })).toHaveLength(1);
    expect(h.sent().filter((line) => line === 'POST /calling/v1/callouts')).toHaveLength(2);
    expect(stderr()).not.toContain('came back without its data');
  }, 20_000);

  it('without persistence: the loss is noticed, callouts are refused for a window, and older callbacks count as repeats', async () => {
    const { stderr } = scene;
    const h = await instance((scene.redis = await startRedisServer()).url);
    expect((await confirmed(h, 'tts_callout', TTS)).structured.status).toBe('done');
    const replay = capturedDice(h, 'captured-2');
    expect((await replay()).status).toBe(200);

    await restart({}, stderr);
    await until(() => stderr().includes('came back without its data'), { what: 'the loss to be reported' });
    const refused = await h.call('tts_callout', TTS);
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/lost its data .* cannot know what was called in the last minute\. Nothing was called\. Try again in \d+ s/);
    expect(await replay()).toEqual({ status: 200, body: '' });
    expect(h.events!.list({ callId: 'captured-2' })).toHaveLength(1);
    // A callback signed after the restart is a new one.
    expect((await capturedDice(h, 'fresh')()).status).toBe(200);
    expect(h.events!.list({ callId: 'fresh' })).toHaveLength(1);
    expect(h.sent().filter((line) => line === 'POST /calling/v1/callouts')).toHaveLength(1);
  }, 20_000);
});

describe('reads never need Redis', () => {
  it('get_call_result works while Redis is down, with a note instead of the label and region', async () => {
    const redis = (scene.redis = await startRedisServer());
    const h = (scene.h = await harness({ env: { SINCH_REDIS_URL: redis.url, SINCH_STATE_SECRET: SECRET } }));
    // A call this instance never placed: only the shared state could know its label or region.
    const call = h.sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01 } as any);
    await redis.kill();
    const result = await h.call('get_call_result', { callId: (call as any).callId ?? (call as any).id });
    expect(result.isError).toBeFalsy();
    expect(result.structured.status).toBe('done');
    expect(result.structured.warning).toMatch(/shared state \(Redis\) was unreachable/);
  });
});
