// Agent effort: the tool calls an agent needs for the chat tasks the README gives as examples, each done here
// with exactly that many calls and its outcome checked. Set up as in Claude Desktop without a public callback
// URL (events by watching Sinch); a person approves guarded actions outside the tool calls (dialog, card or
// page), so an approval is not a call. The README's "Agent effort" table lists these counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallResult, type Harness, harness } from '../helpers/mcp.js';

let h: Harness;
let calls = 0;
async function call(name: string, args: Record<string, unknown> = {}): Promise<CallResult> {
  calls += 1;
  const answer = await h.call(name, args);
  expect(answer.isError, `${name}: ${answer.text}`).toBeFalsy();
  return answer;
}
/** Runs one chat task and answers how many tool calls it took. */
async function task(work: () => Promise<void>): Promise<number> {
  calls = 0;
  await work();
  return calls;
}

beforeAll(async () => {
  h = await harness({ answerAfterMs: 100, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true', SINCH_MAX_CALLOUTS_PER_MINUTE: '100' } });
});
afterAll(async () => h?.close());

describe('agent effort for the README example tasks', () => {
  it('"Which of our numbers can make calls?": 1 call', async () => {
    expect(await task(async () => expect((await call('list_numbers')).structured.result.numbers.length).toBeGreaterThan(0))).toBe(1);
  });

  it('"What does it cost per minute to call 070-123 45 67 in Sweden?": 1 call', async () => {
    const effort = await task(async () => {
      expect((await call('lookup_number', { number: '070-123 45 67', defaultCountry: 'se' })).structured.result.ratePerMinute.amount).toBeGreaterThan(0);
    });
    expect(effort).toBe(1);
  });

  it('"Call Anna and Bob into sales-weekly and tell me when they join": 3 calls, the wait being 1', async () => {
    let waitCalls = 0;
    const effort = await task(async () => {
      await call('conference_callout', { destination: '+46 70 816 87 31', conferenceId: 'sales-weekly', label: 'Anna' });
      await call('conference_callout', { destination: '+46 70 816 87 32', conferenceId: 'sales-weekly', label: 'Bob' });
      const before = calls;
      const joined = await call('wait_for_call_event', { callIds: ['Anna', 'Bob'], events: ['ace'], all: true, timeoutSeconds: 30 });
      waitCalls = calls - before;
      expect(joined.structured.result.events.map((event: { label: string }) => event.label).sort()).toEqual(['Anna', 'Bob']);
    });
    expect(effort).toBe(3);
    expect(waitCalls).toBe(1);
  });

  it('"Who is still on the line in sales-weekly?": 1 call', async () => {
    const effort = await task(async () => {
      expect((await call('get_conference', { conferenceId: 'sales-weekly' })).structured.result.participants.map((p: { label: string }) => p.label)).toEqual(['Anna', 'Bob']);
    });
    expect(effort).toBe(1);
  });

  it('"Mute everyone but Anna": 1 call', async () => {
    const effort = await task(async () => {
      expect((await call('mute_participants', { conferenceId: 'sales-weekly', all: true, except: ['Anna'] })).structured.result.outcomes).toMatchObject([{ label: 'Bob', ok: true }]);
    });
    expect(effort).toBe(1);
  });

  it('"Let Bob speak": 1 call', async () => {
    expect(await task(async () => void (await call('unmute_participants', { conferenceId: 'sales-weekly', labels: ['Bob'] })))).toBe(1);
  });

  it('"Did the call to Anna connect?": 1 call', async () => {
    expect(await task(async () => expect((await call('get_call_result', { label: 'Anna' })).structured.result.result).toBe('ANSWERED'))).toBe(1);
  });

  it('"Kick whoever joined last": 2 calls', async () => {
    const effort = await task(async () => {
      const participants = (await call('get_conference', { conferenceId: 'sales-weekly' })).structured.result.participants as Array<{ label: string; joinedAt: string }>;
      const last = participants.at(-1)!;
      expect(last.label).toBe('Bob');
      await call('kick_participant', { conferenceId: 'sales-weekly', label: last.label });
    });
    expect(effort).toBe(2);
    expect(h.sandbox.state.participants('sales-weekly').map((p) => p.callId)).toHaveLength(1);
  });

  it('"Hang up on Anna and tell her the meeting is over": 1 call', async () => {
    expect(await task(async () => void (await call('hangup_call', { label: 'Anna', message: 'The meeting is over.' })))).toBe(1);
    expect(h.sandbox.state.participants('sales-weekly')).toEqual([]);
  });

  it('"Call +46 70 123 45 67 and say the server is down": 1 call', async () => {
    expect(await task(async () => void (await call('tts_callout', { destination: '+46 70 123 45 67', text: 'The server is down.' })))).toBe(1);
  });
});
