// Confirmations the server enforces, read-only mode, toolsets and the outbound-call policy,
// proven with the sandbox's request count.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/support/audit.js';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';

let h: Harness;
afterEach(async () => h?.close());

const KICK_ALL = { conferenceId: 'room' };
const TTS = { destination: '+46708168731', text: 'Hello' };

/** Puts one answered participant in "room" directly in the sandbox, so the count below is only the tool's. */
function seedRoom(): string {
  const call = h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'room', ratePerMinute: 0.01 });
  return call.callId;
}

describe('with elicitation', () => {
  it('accept with confirm=true sends exactly one request, and the user saw what will happen', async () => {
    const asked: string[] = [];
    h = await harness({ elicit: (message) => (asked.push(message), { action: 'accept', content: { confirm: true } }) });
    const callId = seedRoom();
    const result = await h.call('kick_participant', { conferenceId: 'room', callId });
    expect(result.structured).toMatchObject({ status: 'done', result: { kicked: true } });
    expect(h.sent()).toEqual([`DELETE /calling/v1/conferences/id/room/${callId}`]);
    // Fixed facts first, then the action with the full call id, then every field of the request.
    expect(asked).toEqual([
      ['Sandbox: nothing real happens (simulated; nothing is dialled or billed).', `Remove call ${callId} from conference room; their call ends.`, `Will send DELETE /conferences/id/room/${callId}`].join('\n'),
    ]);
  });

  it('a callout preview names the number, the caller id and the message', async () => {
    const asked: string[] = [];
    h = await harness({ env: { SINCH_CLI: '+46700000000' }, elicit: (message) => (asked.push(message), { action: 'accept', content: { confirm: true } }) });
    await h.call('tts_callout', { destination: '+1 404 500 5000', text: 'The build is broken' });
    const lines = asked[0]!.split('\n');
    expect(lines[1]).toBe('Call +1 404 500 5000 from +46 70 000 00 00 and say: "The build is broken".');
    expect(lines).toContain('  destination.endpoint: "+14045005000" (+1 404 500 5000, United States, fixed line or mobile)');
    expect(lines).toContain('  cli: "+46700000000" (+46 70 000 00 00, Sweden, mobile)');
    expect(lines).toContain('  text: "The build is broken"');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
  });

  it.each([
    ['decline', { action: 'decline' as const }, 'declined'],
    ['cancel', { action: 'cancel' as const }, 'cancelled'],
    ['accept with confirm=false', { action: 'accept' as const, content: { confirm: false } }, 'declined'],
  ])('%s sends nothing and answers a normal result', async (_name, answer, status) => {
    h = await harness({ elicit: () => answer });
    const result = await h.call('kick_all_participants', KICK_ALL);
    expect(result.isError).toBeFalsy();
    expect(result.structured).toMatchObject({ status, preview: expect.stringContaining('Remove everyone from conference room') });
    expect(result.text).toMatch(/nothing was done/);
    expect(h.sent()).toEqual([]);
  });

  it('an elicitation error refuses the action', async () => {
    h = await harness({
      elicit: () => {
        throw new Error('dialog crashed');
      },
    });
    const result = await h.call('tts_callout', TTS);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Could not get the user’s confirmation .*Nothing was done/);
    expect(h.sent()).toEqual([]);
  });

  it('a timed-out elicitation refuses the action', async () => {
    h = await harness({ env: { SINCH_CONFIRM_TIMEOUT_MS: '1000' }, elicit: () => new Promise(() => undefined) });
    const started = Date.now();
    const result = await h.call('hangup_call', { callId: 'abc' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/timed out/i);
    expect(h.sent()).toEqual([]);
  });

  it('an empty elicitation capability ({}) means form mode: the dialog is used', async () => {
    const asked: string[] = [];
    h = await harness({ capabilities: { elicitation: {} }, elicit: (m) => (asked.push(m), { action: 'decline' }) });
    expect((await h.call('kick_all_participants', KICK_ALL)).structured.status).toBe('declined');
    expect(asked).toHaveLength(1);
  });

  it('SINCH_CONFIRMATION_MODE=token forces the token flow even when the client could ask', async () => {
    const asked: string[] = [];
    h = await harness({ env: { SINCH_CONFIRMATION_MODE: 'token' }, elicit: (m) => (asked.push(m), { action: 'accept', content: { confirm: true } }) });
    const first = await h.call('kick_all_participants', KICK_ALL);
    expect(first.structured.status).toBe('confirmation_required');
    expect(asked).toEqual([]);
    expect(h.sent()).toEqual([]);
  });

  it('a token is not a way around the dialog: outside token mode the field is not offered, and one sent anyway is ignored', async () => {
    const asked: string[] = [];
    h = await harness({ elicit: (m) => (asked.push(m), { action: 'decline' }) });
    const kickAll = (await h.client.listTools()).tools.find((tool) => tool.name === 'kick_all_participants')!;
    expect(Object.keys(kickAll.inputSchema.properties ?? {})).not.toContain('confirmationToken');
    const result = await h.call('kick_all_participants', { ...KICK_ALL, confirmationToken: 'ct_made_up' });
    expect(result.structured.status).toBe('declined');
    expect(asked).toHaveLength(1);
    expect(h.sent()).toEqual([]);
  });
});

describe('without elicitation: the confirmation token', () => {
  it('first call sends nothing and returns a preview and a token; the second sends once; a replay is refused', async () => {
    h = await harness();
    const callId = seedRoom();
    const first = await h.call('kick_participant', { conferenceId: 'room', callId });
    expect(first.structured).toMatchObject({ status: 'confirmation_required', confirmationToken: expect.stringMatching(/^ct_/), expiresAt: expect.any(String) });
    expect(first.text).toMatch(/Show the user exactly this and ask/);
    expect(h.sent()).toEqual([]);

    const token = first.structured.confirmationToken;
    const second = await h.call('kick_participant', { conferenceId: 'room', callId, confirmationToken: token });
    expect(second.structured.status).toBe('done');
    expect(h.sent()).toHaveLength(1);

    const replay = await h.call('kick_participant', { conferenceId: 'room', callId, confirmationToken: token });
    expect(replay.isError).toBe(true);
    expect(replay.text).toMatch(/already used/);
    expect(h.sent()).toHaveLength(1);
  });

  it('a token used with other arguments is refused and spent', async () => {
    h = await harness();
    const { structured } = await h.call('tts_callout', TTS);
    const altered = await h.call('tts_callout', { ...TTS, text: 'Something else', confirmationToken: structured.confirmationToken });
    expect(altered.isError).toBe(true);
    expect(altered.text).toMatch(/different arguments/);
    const original = await h.call('tts_callout', { ...TTS, confirmationToken: structured.confirmationToken });
    expect(original.isError).toBe(true);
    expect(h.sent()).toEqual([]);
  });

  it('a token used with another tool is refused', async () => {
    h = await harness();
    const { structured } = await h.call('kick_all_participants', KICK_ALL);
    const foreign = await h.call('hangup_call', { callId: 'abc', confirmationToken: structured.confirmationToken });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toMatch(/issued for kick_all_participants, not hangup_call/);
    expect(h.sent()).toEqual([]);
  });

  it('an unknown token is refused', async () => {
    h = await harness();
    const forged = await h.call('kick_all_participants', { ...KICK_ALL, confirmationToken: 'ct_forged' });
    expect(forged.isError).toBe(true);
    expect(forged.text).toMatch(/never issued/);
    expect(h.sent()).toEqual([]);
  });

  it('an expired token is refused (injected clock)', async () => {
    let now = 1_000_000;
    h = await harness({ now: () => now });
    const { structured } = await h.call('kick_all_participants', KICK_ALL);
    now += 120_001;
    const late = await h.call('kick_all_participants', { ...KICK_ALL, confirmationToken: structured.confirmationToken });
    expect(late.isError).toBe(true);
    expect(late.text).toMatch(/expired/);
    expect(h.sent()).toEqual([]);
  });

  it('binds to the normalized request: the same number written differently still matches', async () => {
    h = await harness();
    const { structured } = await h.call('tts_callout', { destination: '+46 70 816 87 31', text: 'Hello' });
    const done = await h.call('tts_callout', { destination: '+46708168731', text: 'Hello', confirmationToken: structured.confirmationToken });
    expect(done.structured.status).toBe('done');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
  });
});

describe('which calls are guarded', () => {
  it('manage_call with continue acts at once; with hangup it asks first', async () => {
    h = await harness();
    const callId = seedRoom();
    const say = await h.call('manage_call', { callId, action: 'continue', instructions: [{ name: 'say', text: 'Hi' }] });
    expect(say.structured.status).toBe('done');
    expect(h.sent()).toHaveLength(1);
    const hang = await h.call('manage_call', { callId, action: 'hangup' });
    expect(hang.structured.status).toBe('confirmation_required');
    expect(h.sent()).toHaveLength(1);
  });

  it('mute and unmute are not guarded', async () => {
    h = await harness();
    const callId = seedRoom();
    expect((await h.call('mute_participants', { conferenceId: 'room', callIds: [callId] })).structured.status).toBe('done');
    expect((await h.call('unmute_participants', { conferenceId: 'room', callIds: [callId] })).structured.status).toBe('done');
    expect((await h.call('hold_participant', { conferenceId: 'room', callId })).structured.status).toBe('done');
    expect((await h.call('resume_participant', { conferenceId: 'room', callId })).structured.status).toBe('done');
    expect(h.sent()).toHaveLength(4);
  });

  it('the skip switch makes guarded tools act at once and says so', async () => {
    h = await harness({ env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    expect(h.client.getInstructions()).toMatch(/WARNING: confirmations are disabled/);
    const result = await h.call('tts_callout', TTS);
    expect(result.structured.status).toBe('done');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
  });
});

describe('registration switches', () => {
  it('read-only mode lists no write tool and refuses a write tool by name', async () => {
    h = await harness({ env: { SINCH_READ_ONLY: 'true', SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    const tools = (await h.client.listTools()).tools;
    expect(tools.map((t) => t.name).sort()).toEqual(['get_call_result', 'get_callback_urls', 'get_conference', 'list_numbers', 'lookup_number', 'wait_for_call_event']);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const refused = await h.call('tts_callout', TTS);
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/tts_callout not found/);
    expect(h.client.getInstructions()).toMatch(/Read-only mode/);
    expect(h.sent()).toEqual([]);
  });

  it('toolsets limit the list', async () => {
    h = await harness({ env: { SINCH_TOOLSETS: 'conferences,lookup' } });
    const names = (await h.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['get_conference', 'hold_participant', 'kick_all_participants', 'kick_participant', 'lookup_number', 'mute_participants', 'resume_participant', 'unmute_participants']);
  });
});

describe('outbound-call policy', () => {
  it('a callout outside the allow-list is refused before confirmation, naming the rule', async () => {
    const asked: string[] = [];
    h = await harness({ env: { SINCH_ALLOWED_DESTINATIONS: '+46,+1404' }, elicit: (m) => (asked.push(m), { action: 'accept', content: { confirm: true } }) });
    const refused = await h.call('tts_callout', { destination: '+33 6 12 34 56 78', text: 'Bonjour' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/\+33612345678 is outside SINCH_ALLOWED_DESTINATIONS \(\+46, \+1404\)/);
    const username = await h.call('conference_callout', { destination: 'alice', destinationType: 'username', conferenceId: 'room' });
    expect(username.isError).toBe(true);
    expect(asked).toEqual([]);
    expect(h.sent()).toEqual([]);
    expect((await h.call('tts_callout', { destination: '+1 404 500 5000', text: 'Hi' })).structured.status).toBe('done');
    expect(h.sent()).toHaveLength(1);
  });

  it('the rate cap refuses the eleventh callout in a minute, and says when to retry', async () => {
    let now = 5_000_000;
    h = await harness({ now: () => now, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    // Ten different people: the same number again within minutes would be a possible repeat (repeats.test.ts).
    for (let i = 0; i < 10; i++) {
      now += 1_000;
      expect((await h.call('tts_callout', { ...TTS, destination: `+4670816870${i}` })).structured.status).toBe('done');
    }
    const eleventh = await h.call('conference_callout', { destination: '+46708168799', conferenceId: 'room' });
    expect(eleventh.isError).toBe(true);
    expect(eleventh.text).toMatch(/10 callouts in the last minute is the limit \(SINCH_MAX_CALLOUTS_PER_MINUTE\)\. Nothing was called\. Try again in 51 s/);
    expect(h.sent()).toHaveLength(10);
    now += 51_000;
    expect((await h.call('tts_callout', TTS)).structured.status).toBe('done');
  });

  it('a token preview also respects the cap at the moment of sending', async () => {
    let now = 0;
    h = await harness({ now: () => now, env: { SINCH_MAX_CALLOUTS_PER_MINUTE: '1' } });
    const a = await h.call('tts_callout', TTS);
    const b = await h.call('tts_callout', { ...TTS, text: 'Second' });
    expect((await h.call('tts_callout', { ...TTS, confirmationToken: a.structured.confirmationToken })).structured.status).toBe('done');
    const second = await h.call('tts_callout', { ...TTS, text: 'Second', confirmationToken: b.structured.confirmationToken });
    expect(second.isError).toBe(true);
    expect(second.text).toMatch(/limit/);
    expect(h.sent()).toHaveLength(1);
  });
});

describe('audit', () => {
  it('logs every executed write (not reads, not previews)', async () => {
    h = await harness();
    const callId = seedRoom();
    await h.call('get_conference', { conferenceId: 'room' });
    await h.call('mute_participants', { conferenceId: 'room', callIds: [callId] });
    await h.call('kick_all_participants', KICK_ALL);
    await confirmed(h, 'kick_all_participants', KICK_ALL);
    await h.call('get_call_result', { callId: 'unknowncall' });
    expect(h.audit.map((e) => [e.phase, e.tool, e.outcome, e.confirmedBy])).toEqual([
      ['intent', 'mute_participants', undefined, 'none'],
      ['outcome', 'mute_participants', 'ok', 'none'],
      ['intent', 'kick_all_participants', undefined, 'token'],
      ['outcome', 'kick_all_participants', 'ok', 'token'],
    ]);
    expect(h.audit[3]).toMatchObject({ arguments: KICK_ALL, sandbox: true, request: { method: 'DELETE', path: '/conferences/id/room' } });
  });

  it('appends the same lines to SINCH_AUDIT_LOG', async () => {
    const file = join(tmpdir(), `sinch-audit-${process.pid}-${Date.now()}.log`);
    const write = createAuditLog(file);
    const entry = { phase: 'outcome' as const, tool: 'hangup_call', arguments: { callId: 'abc' }, outcome: 'ok' as const, sandbox: false, request: { method: 'PATCH', path: '/calls/id/abc' }, confirmedBy: 'form' as const };
    write(entry);
    write({ ...entry, outcome: 'error', error: 'Sinch answered 404' });
    write.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toMatchObject([{ audit: true, ...entry }, { audit: true, outcome: 'error', error: 'Sinch answered 404' }]);
    await rm(file, { force: true });
  });
});
