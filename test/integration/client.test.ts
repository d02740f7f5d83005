import { afterEach, describe, expect, it } from 'vitest';
import { SinchClient } from '../../src/sinch/client.js';
import { SinchApiError } from '../../src/sinch/errors.js';
import { endpoints } from '../../src/sinch/endpoints.js';
import { sandboxWithClient } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(...args: Parameters<typeof sandboxWithClient>) {
  const env = await sandboxWithClient(...args);
  cleanup = env.close;
  return env;
}

async function failure(promise: Promise<unknown>): Promise<SinchApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SinchApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('SinchClient against the sandbox: every endpoint', () => {
  it.each(['signed', 'basic'] as const)('runs a whole session with %s auth', async (auth) => {
    const { sandbox, client } = await setup({}, { auth });
    const key = sandbox.app.key;

    const numbers = await client.send<{ numbers: Array<{ number: string; applicationkey?: string }> }>(endpoints.listNumbers());
    expect(numbers.numbers.map((n) => n.number)).toContain('+14045005000');

    expect(await client.send(endpoints.assignNumbers(['+14045005000'], key, 'voice'))).toBeUndefined();
    expect(sandbox.state.numbers.find((n) => n.number === '+14045005000')?.applicationkey).toBe(key);
    expect(await client.send(endpoints.unassignNumber('+14045005000', key, 'voice'))).toBeUndefined();
    expect(sandbox.state.numbers.find((n) => n.number === '+14045005000')?.applicationkey).toBeUndefined();

    await client.send(endpoints.updateCallbackUrls(key, { primary: 'https://example.com/sinch', fallback: 'https://backup.example.com/sinch' }));
    expect(await client.send(endpoints.getCallbackUrls(key))).toEqual({
      url: { primary: 'https://example.com/sinch', fallback: 'https://backup.example.com/sinch' },
    });

    const query = await client.send<{ number: { countryId: string; numberType: string; normalizedNumber: string } }>(endpoints.queryNumber('+46730170101'));
    expect(query.number).toMatchObject({ countryId: 'SE', numberType: 'Mobile', normalizedNumber: '+46730170101' });

    const tts = await client.send<{ callId: string }>(
      endpoints.callout({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'Hello' } }),
    );
    const conf = await client.send<{ callId: string }>(
      endpoints.callout({ method: 'conferenceCallout', conferenceCallout: { destination: { type: 'number', endpoint: '+46708425201' }, conferenceId: 'room1' } }),
    );
    const conf2 = await client.send<{ callId: string }>(
      endpoints.callout({ method: 'conferenceCallout', conferenceCallout: { destination: { type: 'number', endpoint: '+46730170101' }, conferenceId: 'room1' } }),
    );

    expect(await client.send(endpoints.getCall(tts.callId))).toMatchObject({ callId: tts.callId, status: 'ONGOING', result: 'ANSWERED' });

    await client.send(endpoints.manageParticipant('room1', conf.callId, 'mute'));
    const info = await client.send<{ participants: Array<{ id: string; muted: boolean; cli: string }> }>(endpoints.getConference('room1'));
    expect(info.participants).toHaveLength(2);
    expect(info.participants.find((p) => p.id === conf.callId)).toMatchObject({ muted: true, cli: '+46708425201' });
    await client.send(endpoints.manageParticipant('room1', conf.callId, 'unmute'));

    await client.send(endpoints.kickParticipant('room1', conf.callId));
    expect(await client.send(endpoints.getCall(conf.callId))).toMatchObject({ status: 'FINAL', reason: 'MANAGERHANGUP' });
    await client.send(endpoints.kickAll('room1'));
    expect(await client.send(endpoints.getConference('room1'))).toEqual({ participants: [] });
    expect(await client.send(endpoints.getCall(conf2.callId))).toMatchObject({ status: 'FINAL', reason: 'MANAGERHANGUP' });

    await client.send(endpoints.manageCall(tts.callId, { instructions: [{ name: 'say', text: 'Bye', locale: 'en-US' }], action: { name: 'hangup' } }));
    expect(await client.send(endpoints.getCall(tts.callId))).toMatchObject({ status: 'FINAL', result: 'ANSWERED', reason: 'MANAGERHANGUP' });

    // Every request was authenticated with the chosen scheme; none carried a body on GET.
    expect(sandbox.requests.filter((r) => r.method === 'GET').every((r) => r.body === undefined)).toBe(true);
  });

  it('serves the calling paths on the management base too (the seed’s single host)', async () => {
    const { sandbox } = await setup();
    const legacy = new SinchClient({
      callingUrl: sandbox.managementUrl,
      managementUrl: sandbox.managementUrl,
      credentials: sandbox.app,
      auth: 'signed',
      timeoutMs: 2_000,
      maxConnections: 1,
    });
    const { callId } = await legacy.send<{ callId: string }>(
      endpoints.callout({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'Hi' } }),
    );
    expect(sandbox.requests.at(-1)?.path).toBe('/v1/callouts');
    expect(callId).toMatch(/^[a-f0-9]{32}$/);
    await legacy.close();
  });

  it('maps Sinch errors: unknown ids, bad bodies, wrong credentials', async () => {
    const { sandbox, client } = await setup();
    const unknown = await failure(client.send(endpoints.getCall('doesnotexist')));
    expect(unknown.details).toMatchObject({ kind: 'http', status: 404, errorCode: '40400' });
    expect(unknown.message).toMatch(/may have ended/);

    const bad = await failure(client.send(endpoints.callout({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '46708168731' }, text: 'x' } })));
    expect(bad.details).toMatchObject({ status: 400, errorCode: '40005' });

    const wrong = new SinchClient({ ...clientSettings(sandbox), credentials: { key: sandbox.app.key, secret: 'AAAAAAAAAAAAAAAAAAAAAA==' } });
    const unauthorized = await failure(wrong.send(endpoints.listNumbers()));
    expect(unauthorized.details).toMatchObject({ status: 401, errorCode: '40102' });
    expect(unauthorized.message).toMatch(/SINCH_APPLICATION_SECRET/);
    expect(unauthorized.message).not.toContain('AAAAAAAAAAAAAAAAAAAAAA==');
    await wrong.close();
  });

  it('refuses a stale x-timestamp (40105)', async () => {
    const { sandbox } = await setup();
    const lagging = new SinchClient(clientSettings(sandbox), undefined, () => new Date(Date.now() - 60 * 60_000));
    expect((await failure(lagging.send(endpoints.listNumbers()))).details).toMatchObject({ status: 401, errorCode: '40105' });
    await lagging.close();
  });
});

describe('SinchClient: retries, timeouts and keep-alive', () => {
  it.each([503, 429, 502, 504])('retries a GET on %s, then succeeds', async (status) => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'status', status }, { times: 2 });
    const result = await client.send<{ numbers: unknown[] }>(endpoints.listNumbers());
    expect(result.numbers.length).toBeGreaterThan(0);
    expect(sandbox.requests).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '1' });
    const started = Date.now();
    await client.send(endpoints.listNumbers());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sandbox.requests).toHaveLength(2);
  });

  it('retries a GET after a connection reset', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'reset' });
    await client.send(endpoints.listNumbers());
    expect(sandbox.requests).toHaveLength(2);
  });

  it('gives up after the attempt cap', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'status', status: 503 }, { times: 10 });
    expect((await failure(client.send(endpoints.listNumbers()))).details.status).toBe(503);
    expect(sandbox.requests).toHaveLength(3);
  });

  it.each([
    ['POST', endpoints.callout({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'x' } })],
    ['PATCH', endpoints.manageParticipant('room', 'abc', 'mute')],
    ['DELETE', endpoints.kickAll('room')],
  ])('never retries a %s (the sandbox counted one request)', async (_method, request) => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'status', status: 503 }, { times: 5 });
    expect((await failure(client.send(request))).details.status).toBe(503);
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.state.calls.size).toBe(0);
  });

  it('a hang ends in a timeout error within SINCH_TIMEOUT_MS plus a margin', async () => {
    const { sandbox, client } = await setup({}, { timeoutMs: 500 });
    sandbox.faults.add({ kind: 'hang' }, { times: 5 });
    const started = Date.now();
    const error = await failure(client.send(endpoints.listNumbers()));
    const elapsed = Date.now() - started;
    expect(error.details.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('a caller abort ends the request as aborted', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'hang' });
    const controller = new AbortController();
    const sent = client.send(endpoints.listNumbers(), controller.signal);
    // Aborted while the request hangs at the sandbox.
    await until(() => sandbox.requests.length === 1, { what: 'the request to reach the sandbox' });
    controller.abort();
    expect((await failure(sent)).details.kind).toBe('aborted');
  });

  it('200 with invalid JSON is an invalid_response error', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'invalidJson' });
    expect((await failure(client.send(endpoints.getConference('room')))).details.kind).toBe('invalid_response');
  });

  it('500 with an HTML body becomes a readable error', async () => {
    const { sandbox, client } = await setup();
    sandbox.faults.add({ kind: 'status', status: 500, html: true });
    const error = await failure(client.send(endpoints.kickAll('room')));
    expect(error.message).toMatch(/HTML page \("Bad Gateway"\)/);
  });

  it('keeps connections alive across many sequential requests', async () => {
    const { sandbox, client } = await setup();
    for (let i = 0; i < 50; i++) await client.send(endpoints.listNumbers());
    expect(sandbox.requests).toHaveLength(50);
    expect(sandbox.connections()).toBeLessThanOrEqual(2);
  });
});

function clientSettings(sandbox: { callingUrl: string; managementUrl: string; app: { key: string; secret: string } }) {
  return { callingUrl: sandbox.callingUrl, managementUrl: sandbox.managementUrl, credentials: sandbox.app, auth: 'signed' as const, timeoutMs: 2_000, maxConnections: 2 };
}
