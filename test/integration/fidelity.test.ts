// Real-API fidelity (issue 12): each case is one Sinch rule the stricter sandbox now enforces, and the
// tool behaviour that meets it. Token confirmation mode is set explicitly where confirmation matters.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { EventBuffer } from '../../src/events/buffer.js';
import { type Receiver, startReceiver } from '../../src/events/receiver.js';
import { MemoryReplayGuard } from '../../src/events/replay-guard.js';
import { SinchApiError } from '../../src/sinch/errors.js';
import { acceptedRegionBase, regionBaseFrom } from '../../src/sinch/hosts.js';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { CallState } from '../../src/state/calls.js';
import { readCustom, withJoinMarker } from '../../src/sinch/custom.js';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';
import { sandboxWithClient } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';
const TOKEN = { SINCH_CONFIRMATION_MODE: 'token' };
const SKIP = { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' };

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function sandboxAlone(client: { followLoopbackRedirects?: boolean } = {}) {
  const s = await sandboxWithClient({}, client);
  cleanups.push(s.close);
  return s;
}

describe('1. recording needs its options, a person’s confirmation, and never shows the credentials', () => {
  const RECORD = {
    action: 'continue',
    instructions: [{ name: 'startRecording', recording: { destinationUrl: 's3://calls-bucket/', credentials: 'AKIA:secret-key:eu-central-1', format: 'wav' } }],
  };

  it('the sandbox refuses startRecording without destinationUrl and credentials, as Sinch does', async () => {
    const { sandbox, client } = await sandboxAlone();
    const { callId } = (await client.send({ base: 'calling', method: 'POST', path: '/callouts', body: { method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi' } } })) as { callId: string };
    for (const options of [undefined, { destinationUrl: 's3://b/' }]) {
      const body = { instructions: [{ name: 'startRecording', ...(options ? { options } : {}) }], action: { name: 'continue' } };
      await expect(client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}`, body })).rejects.toThrow(/startRecording\.options needs destinationUrl and credentials/);
    }
    expect(sandbox.state.calls.get(callId)?.recording).toBeUndefined();
  });

  it('manage_call sends the options, after confirmation, with the credentials hidden in preview and audit', async () => {
    h = await harness({ env: TOKEN });
    const callId = (await confirmed(h, 'tts_callout', { destination: '+46708168731', text: 'hi' })).structured.result.callId;
    const preview = await h.call('manage_call', { callId, ...RECORD });
    expect(preview.structured.status).toBe('confirmation_required');
    expect(preview.structured.preview).toContain('start recording to s3://calls-bucket/ (wav, credentials: (set, hidden))');
    expect(preview.text).not.toContain('secret-key');

    const done = await h.call('manage_call', { callId, ...RECORD, confirmationToken: preview.structured.confirmationToken });
    expect(done.structured.status).toBe('done');
    expect(h.sandbox.requests.at(-1)!.body).toEqual({
      instructions: [{ name: 'startRecording', options: { destinationUrl: 's3://calls-bucket/', credentials: 'AKIA:secret-key:eu-central-1', format: 'wav' } }],
      action: { name: 'continue' },
    });
    expect(h.sandbox.state.calls.get(callId)?.recording).toEqual({ destinationUrl: 's3://calls-bucket/', format: 'wav' });
    const audited = JSON.stringify(h.audit.at(-1));
    expect(audited).toContain('(set, hidden)');
    expect(audited).not.toContain('secret-key');
    expect(JSON.stringify(done)).not.toContain('secret-key');
  });

  it('say and stopRecording alone stay unguarded', async () => {
    h = await harness({ env: TOKEN });
    const callId = (await confirmed(h, 'tts_callout', { destination: '+46708168731', text: 'hi' })).structured.result.callId;
    const result = await h.call('manage_call', { callId, action: 'continue', instructions: [{ name: 'say', text: 'x' }, { name: 'stopRecording' }] });
    expect(result.structured.status).toBe('done');
  });
});

describe('2. a call that came in through ICE is managed on its own region', () => {
  async function incomingCall() {
    h = await harness({ callbacksAt: PUBLIC_URL, env: { ...SKIP, SINCH_ICE_SVAML: '{"instructions":[],"action":{"name":"park"}}' } });
    h.sandbox.state.callbacks.primary = PUBLIC_URL;
    const { callId, answer } = await h.sandbox.incomingCall('+46708168731');
    expect(answer).toEqual({ instructions: [], action: { name: 'park' } });
    return callId;
  }

  it('get_call_result, manage_call (with a leg) and hangup_call go to the callResourceUrl region; the default region does not know the call', async () => {
    const callId = await incomingCall();
    expect((await h!.calls.get(callId))?.regionBase).toBe(h!.sandbox.regionBCallingUrl);

    const result = await h!.call('get_call_result', { callId });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structured.result).toMatchObject({ callId, status: 'ONGOING', from: '+46708168731' });
    const leg = await h!.call('manage_call', { callId, action: 'continue', callLeg: 'caller', instructions: [{ name: 'say', text: 'One moment' }] });
    expect(leg.isError, leg.text).toBeFalsy();
    expect((await h!.call('hangup_call', { callId })).isError).toBeFalsy();
    expect(h!.sent().slice(-3)).toEqual([
      `GET /region-b/calling/v1/calls/id/${callId}`,
      `PATCH /region-b/calling/v1/calls/id/${callId}/leg/caller`,
      `PATCH /region-b/calling/v1/calls/id/${callId}`,
    ]);
    // Sinch's rule, in the sandbox: on another region the call does not exist.
    const elsewhere = h!.sandbox.requests.length;
    await expect(fetchSigned(h!, `/calls/id/${callId}`)).rejects.toThrow(/404/);
    expect(h!.sandbox.requests.length).toBe(elsewhere + 1);
  });

  it('a room reached by a dial-in lives on the dial-in’s region: listed and moderated there (issue 19)', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, env: { ...SKIP, SINCH_ICE_SVAML: '{"instructions":[],"action":{"name":"connectConf","conferenceId":"dial-in"}}' } });
    h.sandbox.state.callbacks.primary = PUBLIC_URL;
    const { callId } = await h.sandbox.incomingCall('+46708168731');
    // The ICE told the region (callResourceUrl) and this server's answer the room (connectConf).
    expect(await h.calls.get(callId)).toMatchObject({ kind: 'incoming', conferenceId: 'dial-in', regionBase: h.sandbox.regionBCallingUrl });

    const room = await h.call('get_conference', { conferenceId: 'dial-in' });
    expect(room.isError, room.text).toBeFalsy();
    expect(room.structured.result.participants.map((p: { callId: string }) => p.callId)).toEqual([callId]);
    expect((await h.call('mute_participants', { conferenceId: 'dial-in', all: true })).structured.result).toMatchObject({ succeeded: 1, failed: 0 });
    expect((await h.call('hold_participant', { conferenceId: 'dial-in', callId })).isError).toBeFalsy();
    expect((await h.call('kick_participant', { conferenceId: 'dial-in', callId })).isError).toBeFalsy();
    expect((await h.call('kick_all_participants', { conferenceId: 'dial-in' })).isError).toBeFalsy();
    const region = '/region-b/calling/v1/conferences/id/dial-in';
    expect(h.sent()).toEqual([
      `GET ${region}`,
      `GET ${region}`,
      `PATCH ${region}/${callId}`,
      `PATCH ${region}/${callId}`,
      `DELETE ${region}/${callId}`,
      `DELETE ${region}`,
    ]);
  });

  it('the sandbox keeps a room on its region: 404 on the other one, both ways', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, env: { ...SKIP, SINCH_ICE_SVAML: '{"instructions":[],"action":{"name":"connectConf","conferenceId":"dial-in"}}' } });
    h.sandbox.state.callbacks.primary = PUBLIC_URL;
    await h.sandbox.incomingCall('+46708168731');
    const placed = (await h.call('conference_callout', { destination: '+46708425201', conferenceId: 'board' })).structured.result.callId;
    const { client, close } = await sandboxClientFor(h);
    cleanups.push(close);
    const get = (path: string, baseUrl?: string) => client.send({ base: 'calling', method: 'GET', path, ...(baseUrl ? { baseUrl } : {}) });
    await expect(get('/conferences/id/dial-in')).rejects.toThrow(/404/);
    await expect(get('/conferences/id/board', h.sandbox.regionBCallingUrl)).rejects.toThrow(/404/);
    await expect(client.send({ base: 'calling', method: 'PATCH', path: `/conferences/id/board/${placed}`, body: { command: 'mute' }, baseUrl: h.sandbox.regionBCallingUrl })).rejects.toThrow(/404/);
    expect(await get('/conferences/id/board')).toMatchObject({ participants: [{ id: placed }] });
    expect(await get('/conferences/id/dial-in', h.sandbox.regionBCallingUrl)).toMatchObject({ participants: [{ cli: '+46708168731' }] });
  });

  it('a callResourceUrl is used only on an https *.sinch.com host or the configured calling origin', async () => {
    expect(regionBaseFrom('https://calling-euc1.api.sinch.com/calling/v1/calls/id/abc')).toBe('https://calling-euc1.api.sinch.com/calling/v1');
    expect(acceptedRegionBase('https://calling-euc1.api.sinch.com/calling/v1', 'https://calling.api.sinch.com/calling/v1')).toBe(true);
    expect(acceptedRegionBase('http://calling-euc1.api.sinch.com/calling/v1', 'https://calling.api.sinch.com/calling/v1')).toBe(false);
    expect(acceptedRegionBase('https://sinch.com.evil.example/calling/v1', 'https://calling.api.sinch.com/calling/v1')).toBe(false);
    expect(acceptedRegionBase('http://127.0.0.1:9/x', 'http://127.0.0.1:9/calling/v1')).toBe(true);

    const { sandbox, client } = await sandboxAlone();
    await expect(client.send({ base: 'calling', method: 'GET', path: '/calls/id/abc', baseUrl: 'https://evil.example.com/calling/v1' })).rejects.toThrow(
      /neither an https \*\.sinch\.com host nor the configured calling URL; nothing was sent/,
    );
    expect(sandbox.requests).toHaveLength(0);
  });
});

function sandboxRequest(harnessed: Harness, path: string) {
  // A request without the regional base: what today's code sent.
  return (harnessed as unknown as { sandbox: { callingUrl: string } }) && fetchSigned(harnessed, path);
}

async function fetchSigned(harnessed: Harness, path: string): Promise<unknown> {
  const { client, close } = await sandboxClientFor(harnessed);
  try {
    return await client.send({ base: 'calling', method: 'GET', path });
  } finally {
    await close();
  }
}

async function sandboxClientFor(harnessed: Harness) {
  const { SinchClient } = await import('../../src/sinch/client.js');
  const client = new SinchClient({
    callingUrl: harnessed.sandbox.callingUrl,
    managementUrl: harnessed.sandbox.managementUrl,
    credentials: harnessed.sandbox.app,
    auth: 'signed',
    timeoutMs: 2_000,
    maxConnections: 1,
  });
  return { client, close: () => client.close() };
}

describe('3 and 7. the ACE answer comes from the event itself and carries the hold music', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  async function postAce(calls: CallState, body: Record<string, unknown>) {
    const app = { key: 'app-key', secret: Buffer.from('secret').toString('base64') };
    receiver = await startReceiver({ host: '127.0.0.1', port: 0, publicPath: '/e', app, buffer: new EventBuffer(10), calls, replays: new MemoryReplayGuard() });
    const text = JSON.stringify(body);
    const timestamp = new Date().toISOString();
    const authorization = applicationAuthorization(app.key, app.secret, { method: 'POST', body: text, contentType: 'application/json', timestamp, path: '/e' });
    const response = await fetch(receiver.localUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, authorization }, body: text });
    return response.json();
  }

  it('a conference callout with mohClass and ACE joins its room with that hold music (the sandbox records moh)', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, answerAfterMs: 100, env: SKIP });
    await h.call('update_callback_urls', { primary: PUBLIC_URL });
    const placed = await h.call('conference_callout', {
      destination: '+46708168731',
      conferenceId: 'board',
      mohClass: 'music2',
      enableAce: true,
      conferenceDtmfOptions: { mode: 'detect', maxDigits: 4 },
      custom: 'ticket-7',
    });
    const callId = placed.structured.result.callId;
    // Until the ACE is answered, Sinch plays nothing; the connectConf answer decides the music.
    expect(h.sandbox.state.calls.get(callId)?.moh).toBeUndefined();
    await until(() => h!.sandbox.state.calls.get(callId)?.awaitingAce === false, { what: 'the ACE to be answered' });
    expect(h.sandbox.state.calls.get(callId)).toMatchObject({ conferenceId: 'board', moh: 'music2', conferenceDtmfOptions: { mode: 'detect', maxDigits: 4 } });
    // The user's own custom data is shown without the marker.
    expect((await h.call('get_call_result', { callId })).structured.result.custom).toBe('ticket-7');
    const ace = h.events!.list({ callId, types: ['ace'] })[0]!;
    expect(ace.raw.custom).toBe('ticket-7');
  });

  it('an ACE whose call id this server never saw (or after a restart) still gets connectConf from its custom marker', async () => {
    const custom = withJoinMarker('user data', { conferenceId: 'board', moh: 'music1' });
    const answer = await postAce(CallState.inMemory(), { event: 'ace', callid: 'a-different-leg-id', custom });
    expect(answer).toEqual({ instructions: [], action: { name: 'connectConf', conferenceId: 'board', moh: 'music1' } });
  });

  it('without a marker, the call state fills in the room and its music; a tts callout gets continue', async () => {
    const calls = CallState.inMemory();
    await calls.remember('known', { kind: 'conference', conferenceId: 'board', moh: 'ring' });
    expect(await postAce(calls, { event: 'ace', callid: 'known' })).toEqual({ instructions: [], action: { name: 'connectConf', conferenceId: 'board', moh: 'ring' } });
    await receiver!.close();
    expect(await postAce(calls, { event: 'ace', callid: 'never-placed', custom: 'plain' })).toEqual({ instructions: [], action: { name: 'continue' } });
  });

  it('the marker keeps the user’s custom intact, and the user’s part stays within Sinch’s 1024 characters', () => {
    const user = 'x'.repeat(824);
    const sent = withJoinMarker(user, { conferenceId: 'a'.repeat(64), moh: 'music3', conferenceDtmfOptions: { mode: 'forward', maxDigits: 32, timeoutMills: 60_000 } });
    expect(sent.length).toBeLessThanOrEqual(1024);
    expect(readCustom(sent)).toEqual({ custom: user, join: { conferenceId: 'a'.repeat(64), moh: 'music3', conferenceDtmfOptions: { mode: 'forward', maxDigits: 32, timeoutMills: 60_000 } } });
    expect(readCustom('no marker')).toEqual({ custom: 'no marker' });
  });

  it('after a restart with SINCH_STATE_FILE, labels and joins are still known', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sinch-state-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'calls.jsonl');
    expect(loadConfig({ SINCH_STATE_FILE: file }).stateFile).toBe(file);
    const first = await CallState.open(file);
    await first.remember('call-1', { kind: 'conference', conferenceId: 'board', moh: 'music1', label: 'Anna' });
    await first.remember('call-2', { kind: 'conference', conferenceId: 'board', label: 'host' });
    await first.remember('call-3', { kind: 'conference', conferenceId: 'board', label: 'Anna' });
    await first.flush();
    // The label moved to the newest call that took it in the room.
    const restarted = await CallState.open(file);
    expect((await restarted.inConference('board')).map((c) => [c.callId, c.label]).sort()).toEqual([
      ['call-1', undefined],
      ['call-2', 'host'],
      ['call-3', 'Anna'],
    ]);
    // Compacted on start: one line per call.
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(await postAce(restarted, { event: 'ace', callid: 'call-1' })).toEqual({ instructions: [], action: { name: 'connectConf', conferenceId: 'board', moh: 'music1' } });
  });

  it('an unusable SINCH_STATE_FILE stops start-up with a message naming it', async () => {
    await expect(CallState.open('/nonexistent-dir-for-sinch/calls.jsonl')).rejects.toThrow(
      /^SINCH_STATE_FILE=\/nonexistent-dir-for-sinch\/calls\.jsonl cannot be read and rewritten \(ENOENT\); give a writable path\.$/,
    );
  });

  it('the file stays bounded: the oldest calls are dropped and a torn line is skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sinch-state-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'calls.jsonl');
    const small = await CallState.open(file, 5);
    for (let i = 0; i < 12; i++) await small.remember(`c${i}`, { kind: 'tts' });
    await small.flush();
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, '{"callId":"torn", "ki');
    const reopened = await CallState.open(file, 5);
    expect(await reopened.get('c0')).toBeUndefined();
    expect(await reopened.get('c11')).toEqual({ callId: 'c11', kind: 'tts', seenAt: expect.any(Number) });
    expect((await readFile(file, 'utf8')).trim().split('\n').length).toBeLessThanOrEqual(5);
  });
});

describe('4. playFiles needs a locale for TTS/SSML prompts', () => {
  it('the sandbox refuses #tts prompts without a locale; manage_call defaults it like say', async () => {
    h = await harness({ env: SKIP });
    const callId = (await h.call('tts_callout', { destination: '+46708168731', text: 'hi' })).structured.result.callId;
    const { client, close } = await sandboxClientFor(h);
    cleanups.push(close);
    await expect(
      client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}`, body: { instructions: [{ name: 'playFiles', ids: ['#tts[Hello]'] }], action: { name: 'continue' } } }),
    ).rejects.toThrow(/playFiles\.locale is required/);
    const played = await h.call('manage_call', { callId, action: 'continue', instructions: [{ name: 'playFiles', ids: ['#tts[Hello]'] }] });
    expect(played.isError, played.text).toBeFalsy();
    expect(h.sandbox.requests.at(-1)!.body).toEqual({ instructions: [{ name: 'playFiles', ids: ['#tts[Hello]'], locale: 'en-US' }], action: { name: 'continue' } });
  });
});

describe('5. redirects from the global host', () => {
  const TTS = { base: 'calling' as const, method: 'POST' as const, path: '/callouts', body: { method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi' } } };

  it('a 307 is followed once, to the region, signed again for the new path', async () => {
    const { sandbox, client } = await sandboxAlone();
    const origin = new URL(sandbox.callingUrl).origin;
    sandbox.faults.add({ kind: 'redirect', status: 307, to: `${origin}/region-b` }, { path: '/calling/v1/callouts' });
    const { callId } = (await client.send(TTS)) as { callId: string };
    expect(sandbox.requests.map((r) => [r.path, r.status])).toEqual([
      ['/calling/v1/callouts', 307],
      ['/region-b/calling/v1/callouts', 200],
    ]);
    expect(sandbox.requests[0]!.authorization).not.toBe(sandbox.requests[1]!.authorization);
    expect(sandbox.state.calls.get(callId)?.region).toBe('b');
  });

  it('a 302 for a write is not followed (nothing re-sent); for a read it is', async () => {
    const { sandbox, client } = await sandboxAlone();
    const origin = new URL(sandbox.callingUrl).origin;
    sandbox.faults.add({ kind: 'redirect', status: 302, to: `${origin}/region-b` }, { method: 'POST' });
    const refused = await client.send(TTS).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SinchApiError);
    expect((refused as Error).message).toMatch(/redirected \(302\).*not followed: a POST is followed only through 307\/308/);
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.state.calls.size).toBe(0);

    sandbox.faults.add({ kind: 'redirect', status: 302, to: `${origin}/region-b` }, { method: 'GET' });
    await expect(client.send({ base: 'calling', method: 'GET', path: '/calls/id/nosuch' })).rejects.toThrow(/404/);
    expect(sandbox.requests.at(-1)!.path).toBe('/region-b/calling/v1/calls/id/nosuch');
  });

  it('only to https *.sinch.com (loopback only under the sandbox option), and only once', async () => {
    const strict = await sandboxAlone({ followLoopbackRedirects: false });
    const origin = new URL(strict.sandbox.callingUrl).origin;
    strict.sandbox.faults.add({ kind: 'redirect', status: 307, to: `${origin}/region-b` });
    await expect(strict.client.send(TTS)).rejects.toThrow(/not followed: only https \*\.sinch\.com hosts/);
    strict.sandbox.faults.add({ kind: 'redirect', status: 308, to: 'https://calling.evil.example' });
    await expect(strict.client.send(TTS)).rejects.toThrow(/to https:\/\/calling\.evil\.example\/calling\/v1\/callouts; not followed: only https \*\.sinch\.com/);
    expect(strict.sandbox.requests).toHaveLength(2);

    const loose = await sandboxAlone();
    const looseOrigin = new URL(loose.sandbox.callingUrl).origin;
    loose.sandbox.faults.add({ kind: 'redirect', status: 307, to: `${looseOrigin}/region-b` }, { times: 2 });
    await expect(loose.client.send(TTS)).rejects.toThrow(/only one redirect is followed/);
    expect(loose.sandbox.requests).toHaveLength(2);
  });
});

describe('6. callLeg is only for say and playFiles', () => {
  it('the sandbox refuses other instructions on a leg', async () => {
    h = await harness({ callbacksAt: PUBLIC_URL, env: { ...SKIP, SINCH_ICE_SVAML: '{"instructions":[],"action":{"name":"park"}}' } });
    h.sandbox.state.callbacks.primary = PUBLIC_URL;
    const { callId } = await h.sandbox.incomingCall('+46708168731');
    const { client, close } = await sandboxClientFor(h);
    cleanups.push(close);
    const body = { instructions: [{ name: 'stopRecording' }], action: { name: 'continue' } };
    await expect(client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}/leg/callee`, body, baseUrl: h.sandbox.regionBCallingUrl })).rejects.toThrow(
      /stopRecording cannot be sent to a call leg/,
    );
  });
});

describe('8. connectStream is a valid ICE answer', () => {
  it('is accepted in SINCH_ICE_SVAML', () => {
    const svaml = { instructions: [], action: { name: 'connectStream', destination: { type: 'Websocket', endpoint: 'wss://example.com/ws' } } };
    const config = loadConfig({ SINCH_CALLBACK_PORT: '1', SINCH_CALLBACK_PUBLIC_URL: 'https://a.example/cb', SINCH_ICE_SVAML: JSON.stringify(svaml) });
    expect(config.callbacks?.iceAnswer).toEqual(svaml);
  });
});

describe('9. strict only where it helps', () => {
  it('texts over Sinch’s default 600 characters reach Sinch (the account’s limit decides); the sandbox keeps the default', async () => {
    h = await harness({ env: SKIP });
    const long = 'word '.repeat(130).trim();
    const result = await h.call('tts_callout', { destination: '+46708168731', text: long });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Sinch answered 400.*limited to 600 characters/);
    expect(h.sandbox.requests).toHaveLength(1);
  });
});
