// The callback receiver: verification the way Sinch signs callbacks, freshness, limits, SVAML answers.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBuffer } from '../../src/events/buffer.js';
import { CallState } from '../../src/state/calls.js';
import { type Receiver, startReceiver } from '../../src/events/receiver.js';
import { MemoryReplayGuard } from '../../src/events/replay-guard.js';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

// The published callback vector V3 (sinch-api-facts.md §1.2).
const V3 = {
  key: '669E367E-6BBA-48AB-AF15-266871C28135',
  secret: 'BeIukql3pTKJ8RGL5zo0DA==',
  body: '{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257","timestamp":"2014-09-24T10:59:41Z","version":1}',
  timestamp: '2014-09-24T10:59:41Z',
  path: '/sinch/callback/ace',
  authorization: 'application 669E367E-6BBA-48AB-AF15-266871C28135:Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4=',
};

let receiver: Receiver | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await receiver?.close();
  receiver = undefined;
});

async function setup(options: { now?: () => number; calls?: CallState; app?: { key: string; secret: string }; path?: string; iceAnswer?: any } = {}) {
  const buffer = new EventBuffer(100);
  const calls = options.calls ?? CallState.inMemory();
  receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    publicPath: options.path ?? V3.path,
    app: options.app ?? { key: V3.key, secret: V3.secret },
    buffer,
    calls,
    now: options.now,
    iceAnswer: options.iceAnswer,
    replays: new MemoryReplayGuard(),
  });
  return { buffer, calls, origin: new URL(receiver.localUrl).origin };
}

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body, headers });
}

/** Signs like Sinch does, with the sandbox-style app used below. */
const APP = { key: 'app-key-1', secret: Buffer.from('receiver test secret').toString('base64') };
function signed(event: Record<string, unknown>, path = '/sinch/events', timestamp = new Date().toISOString()) {
  const body = JSON.stringify(event);
  const contentType = 'application/json; charset=utf-8';
  return {
    body,
    headers: { 'content-type': contentType, 'x-timestamp': timestamp, authorization: applicationAuthorization(APP.key, APP.secret, { method: 'POST', body, contentType, timestamp, path }) },
  };
}

describe('callback receiver: verification', () => {
  it('accepts the published V3 callback and answers an ACE with valid SVAML', async () => {
    const { buffer, origin } = await setup({ now: () => Date.parse(V3.timestamp) + 1_000 });
    const response = await post(`${origin}${V3.path}`, V3.body, { 'content-type': 'application/json', 'x-timestamp': V3.timestamp, authorization: V3.authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ instructions: [], action: { name: 'continue' } });
    expect(buffer.list()).toMatchObject([{ seq: 1, type: 'ace', callId: '822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257' }]);
  });

  it.each([
    ['a tampered body', { body: V3.body.replace('"version":1', '"version":2') }],
    ['another content type', { contentType: 'application/json; charset=utf-8' }],
    ['a tampered timestamp', { timestamp: '2014-09-24T10:59:42Z' }],
    ['another key', { authorization: V3.authorization.replace('669E367E', '769E367E') }],
    ['a missing signature', { authorization: '' }],
    ['basic auth instead of a signature', { authorization: `Basic ${Buffer.from(`${V3.key}:${V3.secret}`).toString('base64')}` }],
  ])('refuses %s with 401 and stores nothing', async (_name, change: Record<string, string>) => {
    const { buffer, origin } = await setup({ now: () => Date.parse(V3.timestamp) });
    const headers: Record<string, string> = {
      'content-type': change.contentType ?? 'application/json',
      'x-timestamp': change.timestamp ?? V3.timestamp,
    };
    const authorization = change.authorization ?? V3.authorization;
    if (authorization) headers.authorization = authorization;
    const response = await post(`${origin}${V3.path}`, change.body ?? V3.body, headers);
    expect(response.status).toBe(401);
    expect(buffer.size()).toBe(0);
  });

  it('refuses a request signed for another path (a proxy rewrote it, or a replay elsewhere)', async () => {
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events' });
    const { body, headers } = signed({ event: 'ace', callid: 'abc' }, '/other/path');
    expect((await post(`${origin}/sinch/events`, body, headers)).status).toBe(401);
    expect((await post(`${origin}/other/path`, body, headers)).status).toBe(404);
    expect(buffer.size()).toBe(0);
  });

  it('refuses a stale x-timestamp (older than 5 minutes)', async () => {
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events' });
    const stale = signed({ event: 'ace', callid: 'abc' }, '/sinch/events', new Date(Date.now() - 6 * 60_000).toISOString());
    expect((await post(`${origin}/sinch/events`, stale.body, stale.headers)).status).toBe(401);
    const fresh = signed({ event: 'ace', callid: 'abc' });
    expect((await post(`${origin}/sinch/events`, fresh.body, fresh.headers)).status).toBe(200);
    expect(buffer.size()).toBe(1);
  });

  it('refuses a body over 64 KB, invalid JSON, and a non-event, storing nothing', async () => {
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events' });
    const big = signed({ event: 'notify', padding: 'x'.repeat(70 * 1024) });
    expect((await post(`${origin}/sinch/events`, big.body, big.headers)).status).toBe(413);
    const timestamp = new Date().toISOString();
    const invalid = '{"event": "ace", oops';
    const headers = { 'content-type': 'application/json', 'x-timestamp': timestamp, authorization: applicationAuthorization(APP.key, APP.secret, { method: 'POST', body: invalid, contentType: 'application/json', timestamp, path: '/sinch/events' }) };
    expect((await post(`${origin}/sinch/events`, invalid, headers)).status).toBe(400);
    const other = signed({ event: 'party' });
    expect((await post(`${origin}/sinch/events`, other.body, other.headers)).status).toBe(400);
    expect((await fetch(`${origin}/sinch/events`)).status).toBe(404);
    expect(buffer.size()).toBe(0);
  });
});

describe('callback receiver: replays', () => {
  /** Sends the same signed requests in waves of 50 (the receiver caps concurrent connections). */
  async function replay(url: string, request: { body: string; headers: Record<string, string> }, times: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < times; i += 50) {
      const wave = Array.from({ length: Math.min(50, times - i) }, () => post(url, request.body, request.headers).then((r) => r.status));
      statuses.push(...(await Promise.all(wave)));
    }
    return statuses;
  }

  it('a replayed DiCE does not satisfy a fresh wait_for_call_event', async () => {
    const publicUrl = 'https://tunnel.example.test/sinch/events';
    const h = await harness({ callbacksAt: publicUrl, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    h.sandbox.state.callbacks.primary = publicUrl; // Sinch sends this app's events to the receiver
    try {
      const body = JSON.stringify({ event: 'dice', callid: 'replayed-call', reason: 'CALLEEHANGUP', result: 'ANSWERED', timestamp: new Date().toISOString() });
      const timestamp = new Date().toISOString();
      const contentType = 'application/json';
      const authorization = applicationAuthorization(h.sandbox.app.key, h.sandbox.app.secret, { method: 'POST', body, contentType, timestamp, path: '/sinch/events' });
      const send = (auth = authorization) => post(h.receiver!.localUrl, body, { 'content-type': contentType, 'x-timestamp': timestamp, authorization: auth });
      expect((await send()).status).toBe(200);
      // This session is given the original once; a fresh wait then needs a new event.
      expect((await h.call('wait_for_call_event', { callIds: ['replayed-call'], timeoutSeconds: 2 })).structured.result.events).toHaveLength(1);
      const waits = vi.spyOn(h.events!, 'waitFor');
      const waiting = h.call('wait_for_call_event', { callIds: ['replayed-call'], timeoutSeconds: 2 });
      await until(() => waits.mock.calls.length === 1, { what: 'wait_for_call_event to be waiting' });
      // The captured request again, also with the scheme re-cased and spaced: the signature is what counts.
      const again = await send();
      expect(again.status).toBe(200);
      expect(await again.text()).toBe('');
      expect((await send(authorization.replace('Application ', 'APPLICATION   '))).status).toBe(200);
      const result = await waiting;
      expect(result.structured.result).toMatchObject({ timedOut: true, events: [] });
      expect(h.events!.list({ callId: 'replayed-call' })).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('1 000 replays of one ACE store nothing, answer no SVAML, and do not push a real DiCE out', async () => {
    const calls = CallState.inMemory();
    await calls.remember('flooded', { kind: 'conference', conferenceId: 'secret-room' });
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events', calls });
    const dice = signed({ event: 'dice', callid: 'real-call', reason: 'CALLEEHANGUP' });
    expect((await post(`${origin}/sinch/events`, dice.body, dice.headers)).status).toBe(200);
    const ace = signed({ event: 'ace', callid: 'flooded' });
    expect(await (await post(`${origin}/sinch/events`, ace.body, ace.headers)).json()).toMatchObject({ action: { name: 'connectConf' } });
    const replayed = await post(`${origin}/sinch/events`, ace.body, ace.headers);
    expect(await replayed.text()).toBe('');
    const statuses = await replay(`${origin}/sinch/events`, ace, 1_000);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(buffer.list({}, 1_000).map((e) => `${e.type} ${e.callId}`)).toEqual(['dice real-call', 'ace flooded']);
  });

  it('a replay past the age window is refused as stale, so the memory can forget it', async () => {
    let clock = Date.now();
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events', now: () => clock });
    const request = signed({ event: 'dice', callid: 'late' }, '/sinch/events', new Date(clock).toISOString());
    expect((await post(`${origin}/sinch/events`, request.body, request.headers)).status).toBe(200);
    clock += 5 * 60_000 + 1;
    expect((await post(`${origin}/sinch/events`, request.body, request.headers)).status).toBe(401);
    expect(buffer.size()).toBe(1);
  });

  it('the in-memory guard forgets keys after their time and stays bounded', async () => {
    let clock = 0;
    const guard = new MemoryReplayGuard(100, () => clock);
    expect(await guard.firstSeen('a', 1_000)).toBe(true);
    expect(await guard.firstSeen('a', 1_000)).toBe(false);
    clock = 1_001;
    expect(await guard.firstSeen('a', 1_000)).toBe(true);
    for (let i = 0; i < 1_000; i++) await guard.firstSeen(`k${i}`, 60_000);
    expect(guard.size()).toBeLessThanOrEqual(100);
    // The newest are still remembered.
    expect(await guard.firstSeen('k999', 60_000)).toBe(false);
  });
});

describe('callback receiver: answers', () => {
  it('ACE for a conference callout this server placed gets connectConf with its room; for a tts callout, continue', async () => {
    const calls = CallState.inMemory();
    await calls.remember('conf-call-1', { kind: 'conference', conferenceId: 'board-room' });
    await calls.remember('tts-call-1', { kind: 'tts' });
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events', calls });
    const conf = signed({ event: 'ace', callId: 'conf-call-1' });
    expect(await (await post(`${origin}/sinch/events`, conf.body, conf.headers)).json()).toEqual({ instructions: [], action: { name: 'connectConf', conferenceId: 'board-room' } });
    const tts = signed({ event: 'ace', callid: 'tts-call-1' });
    expect(await (await post(`${origin}/sinch/events`, tts.body, tts.headers)).json()).toEqual({ instructions: [], action: { name: 'continue' } });
    // Events of a placed conference call are tied to its room.
    expect(buffer.list({ conferenceId: 'board-room' }).map((e) => e.callId)).toEqual(['conf-call-1']);
  });

  it('ICE gets the configured answer (default: a short message and hang up); PIE continue; DiCE and notify an empty 200', async () => {
    const { origin } = await setup({ app: APP, path: '/sinch/events' });
    const ice = signed({ event: 'ice', callid: 'in-1', cli: '+46708168731', to: { type: 'did', endpoint: '+46730170101' } });
    const iceAnswer = await (await post(`${origin}/sinch/events`, ice.body, ice.headers)).json();
    expect(iceAnswer.action).toEqual({ name: 'hangup' });
    expect(iceAnswer.instructions[0]).toMatchObject({ name: 'say' });
    const pie = signed({ event: 'pie', callid: 'in-1', menuResult: { type: 'sequence', value: '1' } });
    expect(await (await post(`${origin}/sinch/events`, pie.body, pie.headers)).json()).toEqual({ instructions: [], action: { name: 'continue' } });
    for (const event of [{ event: 'dice', callid: 'in-1', reason: 'CALLERHANGUP' }, { event: 'notify', callid: 'in-1', type: 'recording_available' }]) {
      const request = signed(event);
      const response = await post(`${origin}/sinch/events`, request.body, request.headers);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
  });

  it('answers ICE with SVAML from configuration', async () => {
    const custom = { instructions: [], action: { name: 'connectConf', conferenceId: 'lobby' } };
    const { origin } = await setup({ app: APP, path: '/sinch/events', iceAnswer: custom });
    const ice = signed({ event: 'ice', callid: 'in-2' });
    expect(await (await post(`${origin}/sinch/events`, ice.body, ice.headers)).json()).toEqual(custom);
  });

  it('answers at once even when a listener is slow or fails', async () => {
    const { buffer, origin } = await setup({ app: APP, path: '/sinch/events' });
    buffer.onEvent(() => {
      throw new Error('listener failed');
    });
    let slowDone = false;
    buffer.onEvent(() => {
      setTimeout(() => (slowDone = true), 2_000);
    });
    const request = signed({ event: 'dice', callid: 'x' });
    const started = Date.now();
    expect((await post(`${origin}/sinch/events`, request.body, request.headers)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    expect(slowDone).toBe(false);
  });
});

describe('event buffer', () => {
  it('stays bounded under a burst of 10 000 events and keeps the newest', () => {
    const buffer = new EventBuffer(1_000);
    for (let i = 0; i < 10_000; i++) buffer.add({ event: 'dice', callid: `call-${i}` });
    expect(buffer.size()).toBe(1_000);
    expect(buffer.lastSeq()).toBe(10_000);
    expect(buffer.list({}, 1_000)[0]!.callId).toBe('call-9000');
    expect(buffer.list({ callId: 'call-9999' })).toHaveLength(1);
  });

  it('stays bounded under a burst over HTTP', async () => {
    const buffer = new EventBuffer(50);
    receiver = await startReceiver({ host: '127.0.0.1', port: 0, publicPath: '/e', app: APP, buffer, calls: CallState.inMemory(), replays: new MemoryReplayGuard() });
    const requests = Array.from({ length: 300 }, (_, i) => signed({ event: 'dice', callid: `c${i}` }, '/e'));
    // In waves of 50: the receiver caps concurrent connections (see receiver-limits.test.ts).
    const statuses: number[] = [];
    for (let i = 0; i < requests.length; i += 50) {
      const wave = requests.slice(i, i + 50).map((r) => post(receiver!.localUrl, r.body, r.headers).then((res) => res.status));
      statuses.push(...(await Promise.all(wave)));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(buffer.size()).toBe(50);
  });

  it('keeps at most maxPerCall events of one call: a flood of one call evicts only its own oldest', () => {
    const buffer = new EventBuffer(1_000);
    for (const callId of ['a', 'b', 'c']) buffer.add({ event: 'dice', callid: callId });
    for (let i = 0; i < 5_000; i++) buffer.add({ event: 'pie', callid: 'flood', menuResult: { type: 'sequence', value: String(i) } });
    expect(buffer.maxPerCall).toBe(50);
    expect(buffer.list({ types: ['dice'] }).map((e) => e.callId)).toEqual(['a', 'b', 'c']);
    const flood = buffer.list({ callId: 'flood' }, 1_000);
    expect(flood).toHaveLength(50);
    expect(flood[0]!.raw.menuResult).toEqual({ type: 'sequence', value: '4950' });
    expect(buffer.size()).toBe(53);
    // Overall capacity is unchanged: many calls still fill the buffer to 1 000, newest kept.
    for (let i = 0; i < 2_000; i++) buffer.add({ event: 'ace', callid: `many-${i}` });
    expect(buffer.size()).toBe(1_000);
    expect(buffer.list({}, 1)[0]!.callId).toBe('many-1999');
  });

  it('appends every event to SINCH_EVENTS_LOG as a JSON line', async () => {
    const file = join(tmpdir(), `sinch-events-${process.pid}-${Date.now()}.log`);
    const buffer = new EventBuffer(10, file);
    buffer.add({ event: 'ace', callid: 'a' });
    buffer.add({ event: 'dice', callId: 'a', reason: 'CALLEEHANGUP' });
    buffer.add({ event: 'not-an-event' });
    // Appended in the background: wait for both lines.
    const lines = await until(
      async () => {
        const written: Array<{ type: string; seq: number }> = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
        return written.length >= 2 && written;
      },
      { what: `two lines in ${file}` },
    );
    expect(lines.map((l) => [l.seq, l.type])).toEqual([
      [1, 'ace'],
      [2, 'dice'],
    ]);
    await rm(file, { force: true });
  });

  it('parses callid or callId and waits for the next matching event', async () => {
    // Its timeouts run on a fake clock.
    vi.useFakeTimers();
    const buffer = new EventBuffer(10);
    const waiting = buffer.waitFor({ callId: 'b', types: ['dice'] }, 1_000);
    buffer.add({ event: 'ace', callId: 'b' });
    buffer.add({ event: 'dice', callid: 'a' });
    buffer.add({ event: 'dice', callid: 'b', reason: 'MANAGERHANGUP' });
    expect(await waiting).toMatchObject({ type: 'dice', callId: 'b', seq: 3 });
    const none = buffer.waitFor({ callId: 'b' }, 50);
    await vi.advanceTimersByTimeAsync(50);
    expect(await none).toBeUndefined();
    expect(await buffer.waitFor({ callId: 'b', afterSeq: 0 }, 50)).toMatchObject({ seq: 1 });
    const controller = new AbortController();
    const cancelled = buffer.waitFor({ callId: 'zzz' }, 10_000, controller.signal);
    controller.abort();
    expect(await cancelled).toBeUndefined();
  });
});
