// Redis as a trust boundary, on a real redis-server: what someone with write access but without SINCH_STATE_SECRET
// writes or publishes (through redis-cli, not the client under test) is refused: a sign-in, a call-state change
// (the "host" label stays where it was), a relayed event. A rotation still reads what the previous secret wrote.
// And call state between instances: a call none knows is not asked of Redis on every read.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedApproverSessions } from '../../src/confirm/approver-sessions.js';
import { EventBuffer } from '../../src/events/buffer.js';
import { shareEvents } from '../../src/events/share.js';
import { CallState } from '../../src/state/calls.js';
import { Keyring } from '../../src/state/mac.js';
import { RedisState } from '../../src/state/redis.js';
import { SignedState } from '../../src/state/signed.js';
import { type RedisServer, startRedisServer } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

const SECRET = 'the-deployment-state-secret-0123456789';
const PREVIOUS = 'the-previous-state-secret-0123456789ab';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((state) => state.close()));
});

/** One instance's view of the shared state: its own connection, the deployment's keys, its stderr lines. */
async function instance(prefix: string, keys = new Keyring(SECRET)) {
  const lines: string[] = [];
  const state = new SignedState(await RedisState.connect(redis.url, { prefix, log: () => {} }), keys, (line) => lines.push(line));
  opened.push(state);
  return { state, lines };
}

const newPrefix = () => `test-${randomUUID()}:`;

describe('values and messages written to Redis without the secret', () => {
  it('a tampered approver sign-in is refused: forged, edited, or moved from another sign-in', async () => {
    const prefix = newPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const onA = sharedApproverSessions(a.state);
    const onB = sharedApproverSessions(b.state);
    const anna = await onA.create({ subject: 'anna', scopes: ['sinch:approve'] });
    const bob = await onA.create({ subject: 'bob', scopes: ['sinch:read'] });
    expect(await onB.get(anna)).toEqual({ subject: 'anna', scopes: ['sinch:approve'] });

    const forgedId = 'A'.repeat(43);
    await redis.cli('SET', `${prefix}approver:${forgedId}`, JSON.stringify({ subject: 'mallory', scopes: ['sinch:approve'] }));
    expect(await onB.get(forgedId)).toBeUndefined();
    const bobs = await redis.cli('GET', `${prefix}approver:${bob}`);
    await redis.cli('SET', `${prefix}approver:${bob}`, bobs.replace('sinch:read', 'sinch:approve'));
    expect(await onB.get(bob)).toBeUndefined();
    // Anna's valid sign-in copied under another id does not sign that id in.
    await redis.cli('SET', `${prefix}approver:${forgedId}`, await redis.cli('GET', `${prefix}approver:${anna}`));
    expect(await onB.get(forgedId)).toBeUndefined();
    expect(b.lines).toEqual([expect.stringMatching(/^shared state: refused a value under key approver:\* in Redis/)]);
    expect(b.lines.join('')).not.toMatch(/mallory|sinch:approve|AAAA/);
  });

  it('a forged call-state change or record does not move the "host" label: muting everyone but the host still spares the host', async () => {
    const prefix = newPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const [callsA, callsB] = [CallState.inMemory(), CallState.inMemory()];
    await callsA.share(a.state, 'a');
    await callsB.share(b.state, 'b');
    await callsA.remember('host-call', { kind: 'conference', conferenceId: 'room', label: 'host' });
    await callsA.remember('guest-call', { kind: 'conference', conferenceId: 'room', label: 'guest' });
    await until(async () => (await callsB.withLabel('guest', 'room'))?.callId === 'guest-call', { what: 'B to learn both calls' });

    // Someone with write access publishes a change giving the guest's call the host label, and stores a record.
    await redis.cli('PUBLISH', `${prefix}calls`, JSON.stringify({ from: 'a', callId: 'guest-call', patch: { label: 'host', conferenceId: 'room' } }));
    await redis.cli('SET', `${prefix}call:unknown-call`, JSON.stringify({ callId: 'unknown-call', label: 'host', conferenceId: 'room' }));
    // A genuine change published after the forged one: once B has it, B has had the forged one too.
    await callsA.remember('late-call', { kind: 'conference', conferenceId: 'room', label: 'late' });
    await until(async () => (await callsB.withLabel('late', 'room'))?.callId === 'late-call', { what: 'B to learn the genuine change' });

    expect((await callsB.withLabel('host', 'room'))?.callId).toBe('host-call');
    expect((await callsB.get('guest-call'))?.label).toBe('guest');
    expect(await callsB.get('unknown-call')).toBeUndefined();
    // Who "everyone but the host" is on B: the host is not among them.
    const muted = (await callsB.inConference('room')).filter((call) => call.label !== 'host').map((call) => call.callId);
    expect(muted.sort()).toEqual(['guest-call', 'late-call']);
    expect(b.lines.some((line) => line.startsWith('shared state: refused a message under channel calls in Redis'))).toBe(true);
  });

  it('a forged relayed event is not stored; a genuine one is', async () => {
    const prefix = newPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const [bufferA, bufferB] = [new EventBuffer(), new EventBuffer()];
    opened.push({ close: await shareEvents(bufferA, a.state, 'a') }, { close: await shareEvents(bufferB, b.state, 'b') });
    const event = (callid: string) => ({ event: 'dice', callid, timestamp: new Date().toISOString(), version: 1, result: 'ANSWERED', reason: 'CALLEEHANGUP' });

    await redis.cli('PUBLISH', `${prefix}events`, JSON.stringify({ from: 'mallory', seq: 1, raw: event('forged-call'), label: 'host' }));
    bufferA.add(event('genuine-call'));
    await until(() => bufferB.list().some((e) => e.callId === 'genuine-call'), { what: 'the genuine event to reach B' });
    expect(bufferB.list().map((e) => e.callId)).toEqual(['genuine-call']);
    expect(b.lines.some((line) => line.startsWith('shared state: refused a message under channel events in Redis'))).toBe(true);
  });
});

describe('rotating SINCH_STATE_SECRET', () => {
  it('an instance on the new secret with the previous one still reads values and messages written under the previous one', async () => {
    const prefix = newPrefix();
    const old = await instance(prefix, new Keyring(PREVIOUS));
    const rotating = await instance(prefix, new Keyring(SECRET, PREVIOUS));
    const rotated = await instance(prefix, new Keyring(SECRET));
    await old.state.set('approver:x', 'written-before-the-rotation', 60_000);
    expect(await rotating.state.get('approver:x')).toBe('written-before-the-rotation');
    // Once the previous secret is dropped, what only it signed reads as absent.
    expect(await rotated.state.get('approver:x')).toBeUndefined();
    // New writes use the new secret: an instance still on the old one alone cannot read them.
    await rotating.state.set('approver:y', 'written-during-the-rotation', 60_000);
    expect(await rotated.state.get('approver:y')).toBe('written-during-the-rotation');
    expect(await old.state.get('approver:y')).toBeUndefined();

    const heard: string[] = [];
    await rotating.state.subscribe('calls', (message) => heard.push(message));
    await old.state.publish('calls', 'from-the-old-instance');
    await until(() => heard.length === 1, { what: 'the old instance\'s message' });
    expect(heard).toEqual(['from-the-old-instance']);
  });
});

describe('the ACL docs/team.md gives for a shared Redis', () => {
  it('lets the server do everything it does, under its own prefix only', async () => {
    // Exactly the line in docs/team.md (linked from the README), so a typo there fails here.
    const guide = readFileSync('docs/team.md', 'utf8');
    const acl = /^ACL SETUSER (sinch-mcp on >\S+ .+)$/m.exec(guide)![1]!.replace('>CHANGE-ME', '>acl-test-password');
    await redis.cli('ACL', 'SETUSER', ...acl.split(' '));
    const url = `redis://sinch-mcp:acl-test-password@127.0.0.1:${redis.port}`;
    const signed = new SignedState(await RedisState.connect(url, { log: () => {} }), new Keyring(SECRET));
    opened.push(signed);
    await signed.set('approval:acl', 'v', 60_000);
    expect(await signed.get('approval:acl')).toBe('v');
    expect(await signed.setIfAbsent('replay:acl', '1', 60_000)).toBe(true);
    expect(await signed.take('approval:acl')).toBe('v');
    await signed.delete('replay:acl');
    expect((await signed.windowTake('callouts:acl', 3, 60_000, Date.now())).allowed).toBe(true);
    expect((await signed.windowCount('callouts:acl', 60_000, Date.now())).count).toBe(1);
    expect(await signed.next('events:acl')).toBe(1);
    const heard: string[] = [];
    await signed.subscribe('calls', (message) => heard.push(message));
    await signed.publish('calls', 'through the ACL');
    await until(() => heard.length === 1, { what: 'a message through the ACL' });
    // Keys and channels of anything else sharing this Redis are out of reach.
    const outside = await RedisState.connect(url, { prefix: 'other-app:', log: () => {} });
    opened.push(outside);
    await expect(outside.set('k', 'v', 60_000)).rejects.toThrow(/NOPERM/);
    await expect(outside.publish('calls', 'x')).rejects.toThrow(/NOPERM/);
  });
});

/** GET commands Redis has run so far. */
async function gets(): Promise<number> {
  return Number(/cmdstat_get:calls=(\d+)/.exec(await redis.cli('INFO', 'commandstats'))?.[1] ?? 0);
}

describe('call state between instances', () => {
  // A model polling a call no instance knows (placed outside this server) from hundreds of sessions.
  it('an unknown call is asked of Redis once a second, not on every read; once another instance learns of it, it is known at once', async () => {
    const prefix = newPrefix();
    let now = 1_000_000;
    const [callsA, callsB] = [CallState.inMemory(), CallState.inMemory()];
    await callsA.share((await instance(prefix)).state, 'a', () => now);
    await callsB.share((await instance(prefix)).state, 'b');

    const before = await gets();
    for (let i = 0; i < 20; i++) expect(await callsA.get('polled-call')).toBeUndefined();
    expect((await gets()) - before).toBe(1);
    now += 999;
    expect(await callsA.get('polled-call')).toBeUndefined();
    expect((await gets()) - before).toBe(1);
    now += 1;
    expect(await callsA.get('polled-call')).toBeUndefined();
    expect((await gets()) - before).toBe(2);

    // B learns of the call (its ICE reached B): A knows it as soon as B's change arrives, without waiting a second.
    await callsB.remember('polled-call', { kind: 'incoming', label: 'Anna', regionBase: 'https://calling-euc1.api.sinch.com/calling/v1' });
    const known = await until(() => callsA.get('polled-call'), { what: "A to learn of B's call" });
    expect(known).toMatchObject({ label: 'Anna', regionBase: 'https://calling-euc1.api.sinch.com/calling/v1' });
  });

  it('a call stored in Redis that this instance never heard of (it started later) is read from Redis, not taken for unknown', async () => {
    const prefix = newPrefix();
    const early = CallState.inMemory();
    await early.share((await instance(prefix)).state, 'early');
    await early.remember('older-call', { kind: 'conference', conferenceId: 'room', label: 'host' });
    const late = CallState.inMemory();
    await late.share((await instance(prefix)).state, 'late');
    expect(await late.get('older-call')).toMatchObject({ label: 'host', conferenceId: 'room' });
  });
});
