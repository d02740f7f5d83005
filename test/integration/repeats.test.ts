// Nobody is rung twice by accident: a guarded write that matches a recent one which may have happened is shown
// to the person with that fact, or refused where nobody is asked; an earlier failure (4xx) does not count.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const callouts = () => h!.sandbox.requests.filter((r) => r.path.endsWith('/callouts')).length;
const ANNA = { destination: '+46 70 816 87 31', text: 'The server is down.' };

describe('possible repeats', () => {
  it('unattended: a second callout to the same number is refused while the first may be ringing, and allowed 2 minutes after Sinch accepted it', async () => {
    let now = Date.parse('2026-12-04T14:03:00Z');
    h = await harness({ now: () => now, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    const first = await h.call('tts_callout', ANNA);
    expect(first.structured.status).toBe('done');
    now += 60_000;
    // Written differently, the same destination: still a repeat.
    const again = await h.call('conference_callout', { destination: '070-816 87 31', defaultCountry: 'SE', conferenceId: 'board' });
    expect(again.isError).toBe(true);
    expect(again.text).toBe(
      `[sandbox] Not sent: +46708168731 was already called at 14:03 UTC (tts_callout); Sinch accepted it (callId ${first.structured.result.callId}; get_call_result shows how it went). ` +
        'Confirmation is off (SINCH_DANGEROUSLY_SKIP_CONFIRMATION), so nobody can decide to repeat it; read the state first (get_call_result, get_conference).',
    );
    expect(callouts()).toBe(1);
    now += 60_000;
    expect((await h.call('tts_callout', ANNA)).structured.status).toBe('done');
    expect(callouts()).toBe(2);
  });

  it('an outcome that is unknown (Sinch answered 503) keeps the number flagged for 10 minutes', async () => {
    let now = Date.parse('2026-12-04T14:03:00Z');
    h = await harness({ now: () => now, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    h.sandbox.faults.add({ kind: 'status', status: 503 }, { path: '/callouts', times: 1 });
    expect((await h.call('tts_callout', ANNA)).text).toMatch(/may or may not have happened/);
    now += 9 * 60_000;
    expect((await h.call('tts_callout', ANNA)).text).toMatch(/^\[sandbox\] Not sent: \+46708168731 was already called at 14:03 UTC \(tts_callout\); its outcome is unknown: it may have happened\./);
    now += 60_000;
    expect((await h.call('tts_callout', ANNA)).structured.status).toBe('done');
    expect(callouts()).toBe(2);
  });

  it('a refused callout (Sinch answered 400) did not happen: calling again is no repeat', async () => {
    h = await harness({ env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    h.sandbox.faults.add({ kind: 'status', status: 400 }, { path: '/callouts', times: 1 });
    expect((await h.call('tts_callout', ANNA)).isError).toBe(true);
    expect((await h.call('tts_callout', ANNA)).structured.status).toBe('done');
  });

  it('with a person deciding, the preview says so first, and the person may still go ahead', async () => {
    h = await harness({ env: { SINCH_CONFIRMATION_MODE: 'token' } });
    const first = await confirmed(h, 'tts_callout', ANNA);
    const preview = await h.call('tts_callout', ANNA);
    expect(preview.structured.status).toBe('confirmation_required');
    expect(preview.structured.preview).toMatch(/Possible repeat: \+46708168731 was already called at \d\d:\d\d UTC \(tts_callout\); Sinch accepted it \(callId \w+/);
    expect(preview.structured.preview).toContain(first.structured.result.callId);
    const second = await h.call('tts_callout', { ...ANNA, confirmationToken: preview.structured.confirmationToken });
    expect(second.structured.status).toBe('done');
    expect(callouts()).toBe(2);
  });

  it('a guarded write other than a callout repeats only as the same request from the same caller', async () => {
    h = await harness({ env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    const room = (conferenceId: string) => h!.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId, ratePerMinute: 0.01 });
    room('one');
    room('two');
    expect((await h.call('kick_all_participants', { conferenceId: 'one' })).structured.status).toBe('done');
    expect((await h.call('kick_all_participants', { conferenceId: 'two' })).structured.status).toBe('done');
    const again = await h.call('kick_all_participants', { conferenceId: 'one' });
    expect(again.text).toMatch(/^\[sandbox\] Not sent: The same kick_all_participants was already sent at \d\d:\d\d UTC; Sinch accepted it\./);
  });
});
