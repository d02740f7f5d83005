// What the conference console and the call card call (MCP Apps, app-only tools), against the real server in
// memory and a 30-person sandbox room: every button goes through the same pipeline as the model's tools.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, VIEWS_CLIENT, harness } from '../helpers/mcp.js';

let h: Harness;
afterEach(async () => h?.close());

const ROOM = 'console-room';

/** 30 answered participants; the first three carry labels, as conference callouts with a label would. */
async function fillRoom(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const number = `+4670816${String(8700 + i).padStart(4, '0')}`;
    const call = h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: number }, conferenceId: ROOM, ratePerMinute: 0.01 });
    ids.push(call.callId);
  }
  for (const [i, label] of ['host', 'Anna', 'Bob'].entries()) await h.calls.remember(ids[i]!, { kind: 'conference', conferenceId: ROOM, label });
  return ids;
}

const participants = async () => (await h.call('app_conference', { conferenceId: ROOM })).structured.result.participants as Array<Record<string, any>>;

describe('the conference console', () => {
  it('lists the room in join order, with labels, countries and join times', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    await fillRoom();
    const rows = await participants();
    expect(rows).toHaveLength(30);
    expect(rows.map((row) => row.order)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(rows.filter((row) => row.label).map((row) => row.label).sort()).toEqual(['Anna', 'Bob', 'host']);
    expect(rows[0]).toMatchObject({ country: 'Sweden', muted: false, onHold: false });
    expect(Date.parse(rows[0]!.joinedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('mutes by label and "everyone but the host", each through the pipeline', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    const ids = await fillRoom();
    const muted = await h.call('app_moderate', { conferenceId: ROOM, action: 'mute', labels: ['Anna'] });
    expect(muted.structured.result).toMatchObject({ ok: true });
    expect((await participants()).filter((row) => row.muted).map((row) => row.label)).toEqual(['Anna']);

    const allButHost = await h.call('app_moderate', { conferenceId: ROOM, action: 'mute_all_except', labels: ['host'] });
    expect(allButHost.structured.result.ok).toBe(true);
    const rows = await participants();
    expect(rows.filter((row) => !row.muted).map((row) => row.callId)).toEqual([ids[0]]);
    // Mute and unmute are reversible: audited writes that needed nobody's confirmation.
    expect(h.audit.filter((line) => line.phase === 'intent').map((line) => [line.tool, line.confirmedBy])).toEqual([
      ['mute_participants', 'none'],
      ['mute_participants', 'none'],
    ]);
  });

  it('a removal, confirmed inside the console, kicks exactly that participant, audited as confirmedBy app', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    const ids = await fillRoom();
    const kicked = await h.call('app_moderate', { conferenceId: ROOM, action: 'kick', labels: ['Bob'] });
    expect(kicked.structured.result).toMatchObject({ ok: true });
    expect(h.sent().filter((line) => line.startsWith('DELETE'))).toEqual([`DELETE /calling/v1/conferences/id/${ROOM}/${ids[2]}`]);
    expect(h.audit.filter((line) => line.phase === 'outcome').map((line) => [line.tool, line.confirmedBy, line.outcome])).toEqual([['kick_participant', 'app', 'ok']]);
    expect((await participants()).map((row) => row.label)).not.toContain('Bob');
  });

  it('a button for a tool this session lacks is refused, and nothing is sent', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true, env: { SINCH_READ_ONLY: 'true' } });
    await fillRoom();
    const { tools } = await h.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('app_moderate');
    const attempt = await h.call('app_moderate', { conferenceId: ROOM, action: 'kick', labels: ['Bob'] });
    expect(attempt.isError).toBe(true);
    expect(h.sent().filter((line) => !line.startsWith('GET'))).toEqual([]);
  });
});

describe('the call card', () => {
  it('follows a call from answered to ended, with its reason', async () => {
    h = await harness({ capabilities: VIEWS_CLIENT, views: true });
    const call = h.sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01, liveMs: 60_000 });
    expect((await h.call('app_call', { callId: call.callId })).structured.result).toMatchObject({ callId: call.callId, state: 'answered', result: 'ANSWERED' });
    h.sandbox.state.endCall(call, 'MANAGERHANGUP');
    expect((await h.call('app_call', { callId: call.callId })).structured.result).toMatchObject({ state: 'ended', reason: 'MANAGERHANGUP' });
  });
});
