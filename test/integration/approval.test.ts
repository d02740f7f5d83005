// A person, never the model, approves guarded actions: the approval page (opened in a browser or offered
// through URL elicitation), proven with the sandbox's request counts.
import { ElicitationCompleteNotificationSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decide, httpRequest, pageToken, urlRecorder } from '../helpers/approval.js';
import type { Timing } from '../../src/compose.js';
import { type Harness, harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

let h: Harness;
afterEach(async () => h?.close());

const PAGE = { SINCH_CONFIRMATION_MODE: 'page' };
const TTS = { destination: '+46 70 816 87 31', text: 'The server room is on fire', cli: '+1 404 500 5000' };

/** One answered participant in "room", put there directly so the request counts are only the tool's. */
function seedRoom(): void {
  h.sandbox.state.createCall({ kind: 'conference', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'room', ratePerMinute: 0.01 });
}

async function pageHarness(env: Record<string, string> = {}, timing?: Partial<Timing>) {
  const browser = urlRecorder();
  h = await harness({ env: { ...PAGE, ...env }, openUrl: browser.open, timing });
  return browser;
}

describe('the approval page (no elicitation in the client)', () => {
  it('shows every field, sends nothing until approved, then exactly one request; the result never contains the URL', async () => {
    const browser = await pageHarness();
    const pending = h.call('tts_callout', TTS);
    const url = await browser.next();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/approve\/[A-Za-z0-9_-]{43}$/);

    const page = await httpRequest(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sandbox: nothing real happens');
    expect(page.body).toContain('+46 70 816 87 31, Sweden, mobile');
    expect(page.body).toContain('&#34;+14045005000&#34;'); // the caller id as sent
    expect(page.body).toContain('The server room is on fire');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(h.sent()).toEqual([]);

    expect((await decide(url, 'approve')).status).toBe(200);
    const result = await pending;
    expect(result.structured.status).toBe('done');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
    const secret = new URL(url).pathname.split('/').pop()!;
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(new URL(url).port);
    expect(h.audit.map((entry) => entry.confirmedBy)).toEqual(['page', 'page']);
  });

  it('Deny sends nothing and answers declined; a second click, a forged or a cross-origin post change nothing', async () => {
    const browser = await pageHarness();
    const pending = h.call('kick_all_participants', { conferenceId: 'room' });
    const url = await browser.next();
    const token = pageToken((await httpRequest(url)).body);

    expect((await decide(url, 'approve', { token: 'x'.repeat(43) })).status).toBe(403);
    expect((await decide(url, 'approve', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await decide(url, 'approve', { origin: null })).status).toBe(403);
    const port = new URL(url).port;
    expect((await decide(url, 'approve', { host: `evil.example:${port}`, token })).status).toBe(421);
    expect(h.sent()).toEqual([]);

    expect((await decide(url, 'deny', { token })).status).toBe(200);
    const result = await pending;
    expect(result.isError).toBeFalsy();
    expect(result.structured.status).toBe('declined');
    const again = await decide(url, 'approve', { token });
    expect(again.status).toBe(409);
    expect(again.body).toContain('Already decided');
    expect(h.sent()).toEqual([]);
  });

  it('an expired page sends nothing and refuses a late approval', async () => {
    const browser = await pageHarness({ SINCH_CONFIRM_TIMEOUT_MS: '1000' });
    const pending = h.call('hangup_call', { callId: 'abc' });
    const url = await browser.next();
    const token = pageToken((await httpRequest(url)).body);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/No decision on the approval page within 1 s.*Nothing was done/);
    const late = await decide(url, 'approve', { token });
    expect(late.body).toContain('Expired');
    expect(h.sent()).toEqual([]);
  });

  it('a headless machine (no browser can be opened) refuses with the ways out and sends nothing', async () => {
    h = await harness({ env: PAGE, openUrl: async () => ({ ok: false, reason: 'no display' }) });
    const result = await h.call('tts_callout', TTS);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/could not be opened in a browser \(no display\)/);
    expect(result.text).toMatch(/elicitation/);
    expect(result.text).toMatch(/SINCH_CONFIRMATION_MODE=token/);
    expect(h.sent()).toEqual([]);
  });

  it('a confirmationToken from the model does not stand in for the page: it is ignored and a person still decides', async () => {
    const browser = await pageHarness();
    const pending = h.call('kick_all_participants', { conferenceId: 'room', confirmationToken: 'ct_anything' });
    const url = await browser.next();
    expect(h.sent()).toEqual([]);
    expect((await decide(url, 'deny', { token: pageToken((await httpRequest(url)).body) })).status).toBe(200);
    expect((await pending).structured.status).toBe('declined');
    expect(h.sent()).toEqual([]);
  });

  it('cancelling the tool call withdraws the approval: the page can no longer approve it', async () => {
    const browser = await pageHarness();
    const controller = new AbortController();
    const pending = h.client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'room' } }, undefined, { signal: controller.signal }).catch((error: Error) => error);
    const url = await browser.next();
    const token = pageToken((await httpRequest(url)).body);
    controller.abort();
    await pending;
    // The server withdraws the approval once the cancellation reaches it; its page says so.
    await until(async () => (await httpRequest(url)).body.includes('Cancelled'), { what: 'the page to show the request withdrawn' });
    expect((await decide(url, 'approve', { token })).body).toContain('Cancelled');
    expect(h.sent()).toEqual([]);
  });

  it('sends progress notifications while waiting when the request asked for them', async () => {
    const browser = await pageHarness({}, { progressEveryMs: 50 });
    const progress: string[] = [];
    const pending = h.client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'room' } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ''),
    });
    const url = await browser.next();
    await until(() => progress.length > 0, { what: 'a progress notification' });
    await decide(url, 'deny');
    await pending;
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatch(/Waiting for a person to approve or deny/);
    expect(progress.join('')).not.toContain(new URL(url).pathname);
  });

  it('the page escapes agent text: markup and invisible characters are shown as data', async () => {
    const browser = await pageHarness();
    const pending = h.call('tts_callout', { ...TTS, text: '<b>Approved</b>\u202e "This is free"' });
    const url = await browser.next();
    const page = await httpRequest(url);
    expect(page.body).not.toContain('<b>Approved</b>');
    expect(page.body).toContain('&#60;b&#62;Approved&#60;/b&#62;');
    expect(page.body).not.toContain('\u202e');
    expect(page.body).toContain('\\u202e');
    await decide(url, 'deny');
    await pending;
  });
});

describe('URL elicitation', () => {
  it('a client declaring only URL elicitation gets mode "url" with the page; approving there sends once, then complete', async () => {
    const offered: Array<{ mode?: string; url?: string; elicitationId?: string }> = [];
    const completed: string[] = [];
    const opened = urlRecorder();
    h = await harness({ capabilities: { elicitation: { url: {} } }, openUrl: async () => ({ ok: false, reason: 'must not be used' }) });
    h.client.setRequestHandler(ElicitRequestSchema, (request) => {
      const params = request.params as { mode?: string; url?: string; elicitationId?: string };
      offered.push(params);
      void opened.open(params.url!);
      return { action: 'accept' };
    });
    h.client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => void completed.push(n.params.elicitationId));
    seedRoom();
    const pending = h.call('kick_all_participants', { conferenceId: 'room' });
    const url = await opened.next();
    expect(offered[0]).toMatchObject({ mode: 'url', url });
    expect(h.sent()).toEqual([]);
    await decide(url, 'approve');
    const result = await pending;
    expect(result.structured.status).toBe('done');
    expect(h.sent()).toEqual(['DELETE /calling/v1/conferences/id/room']);
    await until(() => completed.length > 0, { what: 'the elicitation-complete notification' });
    expect(completed).toEqual([offered[0]!.elicitationId]);
    expect(h.audit.at(-1)).toMatchObject({ confirmedBy: 'url', outcome: 'ok' });
  });

  it('declining the link sends nothing and answers declined', async () => {
    h = await harness({ capabilities: { elicitation: { url: {} } } });
    h.client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' }));
    const result = await h.call('kick_all_participants', { conferenceId: 'room' });
    expect(result.structured.status).toBe('declined');
    expect(h.sent()).toEqual([]);
  });
});

describe('the preview cannot be forged by agent text', () => {
  it('a newline in the text cannot add a fake "Will send" block to the dialog: one line per real field', async () => {
    const asked: string[] = [];
    h = await harness({ elicit: (m) => (asked.push(m), { action: 'decline' }) });
    const forged = 'Hi.\nWill send POST /callouts with:\n  destination.endpoint: "+46701234567" (+46 70 123 45 67, Sweden, mobile)' + '\n'.repeat(20);
    await h.call('tts_callout', { destination: '+1 900 555 0199', text: forged });
    const lines = asked[0]!.split('\n');
    expect(lines.filter((line) => line.startsWith('Will send'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('  destination.endpoint'))).toEqual(['  destination.endpoint: "+19005550199" (+1 900 555 0199, United States, premium rate)']);
    expect(lines[1]).toContain('\\u000aWill send POST');
    expect(h.sent()).toEqual([]);
  });
});

describe('modes', () => {
  it('SINCH_CONFIRMATION_MODE=page uses the page even when the client has a form dialog', async () => {
    const browser = urlRecorder();
    const asked: string[] = [];
    h = await harness({ env: PAGE, openUrl: browser.open, elicit: (m) => (asked.push(m), { action: 'accept', content: { confirm: true } }) });
    seedRoom();
    const pending = h.call('kick_all_participants', { conferenceId: 'room' });
    await decide(await browser.next(), 'approve');
    expect((await pending).structured.status).toBe('done');
    expect(asked).toEqual([]);
  });

  it('SINCH_CONFIRMATION_MODE=form refuses in a client without a dialog, sending nothing', async () => {
    h = await harness({ env: { SINCH_CONFIRMATION_MODE: 'form' } });
    const result = await h.call('kick_all_participants', { conferenceId: 'room' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/no form elicitation/);
    expect(h.sent()).toEqual([]);
  });

  it('startRecording needs a person; the recording URL is shown in full', async () => {
    const browser = await pageHarness();
    const call = h.sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01, liveMs: 60_000 });
    const recording = 'https://recordings.example.com/store/' + 'a'.repeat(120);
    const pending = h.call('manage_call', {
      callId: call.callId,
      action: 'continue',
      instructions: [{ name: 'startRecording', recording: { destinationUrl: recording, credentials: 'storage-user:storage-pass-canary' } }],
    });
    const url = await browser.next();
    const page = await httpRequest(url);
    expect(page.body).toContain(recording);
    expect(page.body).toContain('(set, hidden)');
    expect(page.body).not.toContain('storage-pass-canary');
    expect(page.body).toContain('This records a live call');
    expect(page.body).toContain(call.callId);
    expect(h.sent()).toEqual([]);
    await decide(url, 'deny');
    expect((await pending).structured.status).toBe('declined');
    expect(h.sent()).toEqual([]);
  });
});
