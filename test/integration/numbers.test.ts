// Issue 19, through the tools: human-written numbers (vanity, extensions, compatibility characters, country codes
// in any case, national numbers without a country) and the Calling API features a moderator asks for next
// (DTMF into a live call, SIP destinations, TTS dtmf/enablePie, recording transcription). Each wire test asserts
// the exact JSON body the sandbox received; each refusal, that nothing was sent.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, confirmed, harness } from '../helpers/mcp.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const TOKEN = { SINCH_CONFIRMATION_MODE: 'token' };

// Everything a test opened (servers, sandboxes) is closed after it, newest first.
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

let h: Harness;
const last = () => h.sandbox.requests.at(-1)!;

async function server(options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const started = await harness(options);
  opened.push(started);
  return started;
}

async function sandboxAlone() {
  const started = await sandboxWithClient();
  opened.push(started);
  return started;
}

describe('numbers as people write them', () => {
  it('a vanity number is dialled as digits, and the preview shows both', async () => {
    h = await server({ env: TOKEN });
    const preview = await h.call('tts_callout', { destination: '1-800-FLOWERS', defaultCountry: 'us', text: 'Your order' });
    expect(preview.structured.status).toBe('confirmation_required');
    expect(preview.structured.preview).toContain('destination.endpoint: "+18003569377" (+1 800 356 9377, United States, toll-free; as written: "1-800-FLOWERS")');
    const fromVanity = await h.call('tts_callout', { destination: '+46708168731', cli: '+1 800 FLOWERS', text: 'hi' });
    expect(fromVanity.structured.preview).toContain('cli: "+18003569377" (+1 800 356 9377, United States, toll-free; as written: "+1 800 FLOWERS")');
    expect(h.sandbox.requests).toHaveLength(0);
    await h.call('tts_callout', { destination: '1-800-FLOWERS', defaultCountry: 'us', text: 'Your order', confirmationToken: preview.structured.confirmationToken });
    expect(last().body).toEqual({
      method: 'ttsCallout',
      ttsCallout: { destination: { type: 'number', endpoint: '+18003569377' }, locale: 'en-US', text: 'Your order' },
    });
  });

  it('an extension reaches the wire as dtmf after a 1 s pause, shown in the preview as what will be sent', async () => {
    h = await server({ env: TOKEN });
    const args = { destination: '+1 415 555 0100 ext 12', text: 'hi' };
    const preview = await h.call('tts_callout', args);
    expect(preview.structured.preview).toContain('key in extension 12 1 s after answer');
    expect(preview.structured.preview).toContain('dtmf: "ww12" (as written: "+1 415 555 0100 ext 12")');
    const done = await h.call('tts_callout', { ...args, confirmationToken: preview.structured.confirmationToken });
    expect(last().body).toEqual({
      method: 'ttsCallout',
      ttsCallout: { destination: { type: 'number', endpoint: '+14155550100' }, locale: 'en-US', text: 'hi', dtmf: 'ww12' },
    });
    expect(h.sandbox.state.calls.get(done.structured.result.callId)?.dtmf).toBe('ww12');
  });

  it('a conference callout takes the extension too (x12, ;ext=12, #12)', async () => {
    h = await server({ env: TOKEN });
    for (const destination of ['+1 415 555 0100 x12', '+1 415 555 0100;ext=12', '+1-415-555-0100#12']) {
      await confirmed(h, 'conference_callout', { destination, conferenceId: 'sales' });
      expect(last().body).toMatchObject({ conferenceCallout: { destination: { type: 'number', endpoint: '+14155550100' }, dtmf: 'ww12' } });
    }
  });

  it('an extension beside dtmf is refused, and nothing is sent', async () => {
    h = await server({ env: TOKEN });
    const refused = await h.call('conference_callout', { destination: '+1 415 555 0100 ext 12', conferenceId: 'sales', dtmf: '1234#' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Invalid input, nothing was sent to Sinch\. destination: the extension 12 would be sent as dtmf after answer, but dtmf is given too \("1234#"\)/);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('Unicode spaces, dashes and full-width characters are read; the country code in any case', async () => {
    h = await server({ env: TOKEN });
    await confirmed(h, 'conference_callout', { destination: '＋４６\u202F70\u2009816\u00A087–31', conferenceId: 'sales' });
    expect(last().body).toMatchObject({ conferenceCallout: { destination: { type: 'number', endpoint: '+46708168731' } } });
    await confirmed(h, 'conference_callout', { destination: '070\u2011816 87 31', defaultCountry: 'se', conferenceId: 'sales' });
    expect(last().body).toMatchObject({ conferenceCallout: { destination: { type: 'number', endpoint: '+46708168731' } } });
    const unknown = await h.call('conference_callout', { destination: '070 816 87 31', defaultCountry: 'XZ', conferenceId: 'sales' });
    expect(unknown.text).toMatch(/defaultCountry: "XZ" is an unknown country/);
  });

  it('a callout to a national number without a country is refused with the candidates, and nothing is sent', async () => {
    h = await server({ env: TOKEN });
    const refused = await h.call('tts_callout', { destination: '070-123 45 67', text: 'hi' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/has no country code, and it is a valid number in \d+ countries \(.*NL fixed line.*SE mobile.*\)/);
    expect(refused.text).not.toMatch(/such as \+|e\.g\./);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('lookup_number answers a national number without a country with its candidate countries and types', async () => {
    h = await server();
    const answer = await h.call('lookup_number', { number: '070-123 45 67' });
    expect(answer.isError).toBeFalsy();
    expect(answer.structured.result.candidates).toEqual(expect.arrayContaining(['+46 70 123 45 67, Sweden, mobile', '+31 70 123 4567, Netherlands, fixed line']));
    expect(answer.structured.result.number).toBeUndefined();
    expect(answer.text).toMatch(/has no country code; it is a valid number in \d+ countries: .*Ask which country is meant/);
    expect(h.sandbox.requests).toHaveLength(0);
    const sweden = await h.call('lookup_number', { number: '070-123 45 67', defaultCountry: 'se' });
    expect(sweden.structured.result).toMatchObject({ number: '+46701234567', country: 'SE' });
  });

  it('lookup_number says an extension was ignored; the number tools refuse one', async () => {
    h = await server();
    const looked = await h.call('lookup_number', { number: '+46 73 017 01 01 ext 5' });
    expect(looked.text).toMatch(/\+46730170101: .* \(extension 5 ignored\)/);
    expect(h.sent()).toEqual(['GET /v1/calling/query/number/+46730170101']);
    const refused = await h.call('unassign_number', { number: '+46 73 017 01 01 #5' });
    expect(refused.text).toMatch(/number: .* has an extension \(5\), which this number cannot take/);
    expect(h.sent()).toHaveLength(1);
  });
});

describe('DTMF into a live call (manage_call sendDtmf)', () => {
  it('is guarded, and sends the sendDtmf instruction Sinch documents', async () => {
    h = await server({ env: TOKEN });
    const callId = (await confirmed(h, 'tts_callout', { destination: '+46708168731', text: 'hi' })).structured.result.callId;
    const args = { callId, action: 'continue', instructions: [{ name: 'sendDtmf', dtmf: 'ww1234#' }] };
    const preview = await h.call('manage_call', args);
    expect(preview.structured.status).toBe('confirmation_required');
    expect(preview.structured.preview).toContain('send the tones "ww1234#", then continue');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
    await h.call('manage_call', { ...args, confirmationToken: preview.structured.confirmationToken });
    expect(last()).toMatchObject({ method: 'PATCH', path: `/calling/v1/calls/id/${callId}` });
    expect(last().body).toEqual({ instructions: [{ name: 'sendDtmf', value: 'ww1234#' }], action: { name: 'continue' } });
    expect(h.sandbox.state.calls.get(callId)?.tonesSent).toEqual(['ww1234#']);
  });

  it('the sandbox refuses tones Sinch does not accept, and sendDtmf on a call leg', async () => {
    const { client, sandbox } = await sandboxAlone();
    const { callId } = (await client.send({ base: 'calling', method: 'POST', path: '/callouts', body: { method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi' } } })) as { callId: string };
    for (const value of ['12*', '', 'A', undefined, 12]) {
      const body = { instructions: [{ name: 'sendDtmf', value }], action: { name: 'continue' } };
      await expect(client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}`, body })).rejects.toThrow(/sendDtmf\.value may contain only 0-9, # and w/);
    }
    const onLeg = { instructions: [{ name: 'sendDtmf', value: '1' }], action: { name: 'continue' } };
    await expect(client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}/leg/callee`, body: onLeg })).rejects.toThrow(/sendDtmf cannot be sent to a call leg/);
    expect(sandbox.state.calls.get(callId)?.tonesSent).toEqual([]);
  });
});

describe('SIP destinations', () => {
  it('are refused by the policy unless the allow-list names them, before anyone is asked', async () => {
    h = await server({ env: { ...TOKEN, SINCH_ALLOWED_DESTINATIONS: '*' } });
    const refused = await h.call('tts_callout', { destination: 'sip:alice@pbx.example.com', text: 'hi' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/alice@pbx\.example\.com is outside SINCH_ALLOWED_DESTINATIONS .*SIP callouts need an explicit entry/);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('go out as destination type sip, endpoint user@host, where an entry allows them', async () => {
    h = await server({ env: { ...TOKEN, SINCH_ALLOWED_DESTINATIONS: '+46,sip:*@pbx.example.com' } });
    const preview = await h.call('conference_callout', { destination: 'sip:alice@PBX.example.com', conferenceId: 'sales' });
    expect(preview.structured.preview).toContain('Call SIP address "alice@pbx.example.com"');
    await h.call('conference_callout', { destination: 'sip:alice@PBX.example.com', conferenceId: 'sales', confirmationToken: preview.structured.confirmationToken });
    expect(last().body).toEqual({ method: 'conferenceCallout', conferenceCallout: { destination: { type: 'sip', endpoint: 'alice@pbx.example.com' }, conferenceId: 'sales' } });
    await confirmed(h, 'tts_callout', { destination: 'bob@pbx.example.com:5061', destinationType: 'sip', text: 'hi' });
    expect(last().body).toEqual({ method: 'ttsCallout', ttsCallout: { destination: { type: 'sip', endpoint: 'bob@pbx.example.com:5061' }, locale: 'en-US', text: 'hi' } });
    const elsewhere = await h.call('tts_callout', { destination: 'bob@evil.example.com', destinationType: 'sip', text: 'hi' });
    expect(elsewhere.text).toMatch(/outside SINCH_ALLOWED_DESTINATIONS/);
    expect(h.sandbox.requests).toHaveLength(2);
  });

  it('the sandbox refuses a SIP endpoint that is not user@host', async () => {
    const { client } = await sandboxAlone();
    for (const endpoint of ['sip:alice@pbx.example.com', 'pbx.example.com', 'alice@pbx.example.com;transport=tls', 'alice@localhost']) {
      const body = { method: 'ttsCallout', ttsCallout: { destination: { type: 'sip', endpoint }, text: 'hi' } };
      await expect(client.send({ base: 'calling', method: 'POST', path: '/callouts', body })).rejects.toThrow(/destination\.endpoint is not a SIP address/);
    }
  });
});

describe('TTS callout dtmf and enablePie', () => {
  it('are sent as given', async () => {
    h = await server({ env: TOKEN });
    await confirmed(h, 'tts_callout', { destination: '+46708168731', text: 'Press 1', dtmf: 'ww1234#', enablePie: true, enableAce: true });
    expect(last().body).toEqual({
      method: 'ttsCallout',
      ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, locale: 'en-US', text: 'Press 1', dtmf: 'ww1234#', enableAce: true, enablePie: true },
    });
  });

  it('the sandbox refuses bad tones and flags that are not booleans', async () => {
    const { client } = await sandboxAlone();
    const tts = (extra: Record<string, unknown>) => ({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi', ...extra } });
    await expect(client.send({ base: 'calling', method: 'POST', path: '/callouts', body: tts({ dtmf: '12*' }) })).rejects.toThrow(/dtmf may contain only 0-9, # and w/);
    await expect(client.send({ base: 'calling', method: 'POST', path: '/callouts', body: tts({ dtmf: 1234 }) })).rejects.toThrow(/dtmf may contain only/);
    await expect(client.send({ base: 'calling', method: 'POST', path: '/callouts', body: tts({ enablePie: 'yes' }) })).rejects.toThrow(/ttsCallout\.enablePie must be true or false/);
  });
});

describe('recording transcription', () => {
  const RECORD = { name: 'startRecording', recording: { destinationUrl: 's3://calls/', credentials: 'AKIA:secret:eu-central-1', transcribe: 'sv-se' } };

  it('startRecording sends transcriptionOptions, shown in the preview', async () => {
    h = await server({ env: TOKEN });
    const callId = (await confirmed(h, 'tts_callout', { destination: '+46708168731', text: 'hi' })).structured.result.callId;
    const preview = await h.call('manage_call', { callId, action: 'continue', instructions: [RECORD] });
    expect(preview.structured.preview).toContain('start recording to s3://calls/ (mp3, credentials: (set, hidden)), transcribed in sv-SE');
    expect(preview.structured.preview).toContain('instructions[0].options.transcriptionOptions.locale: "sv-SE"');
    await h.call('manage_call', { callId, action: 'continue', instructions: [RECORD], confirmationToken: preview.structured.confirmationToken });
    expect(last().body).toEqual({
      instructions: [{ name: 'startRecording', options: { destinationUrl: 's3://calls/', credentials: 'AKIA:secret:eu-central-1', transcriptionOptions: { enabled: true, locale: 'sv-SE' } } }],
      action: { name: 'continue' },
    });
    expect(h.sandbox.state.calls.get(callId)?.recording).toEqual({ destinationUrl: 's3://calls/', format: 'mp3', transcription: { enabled: true, locale: 'sv-SE' } });
  });

  it('the sandbox refuses transcription options out of range', async () => {
    const { client } = await sandboxAlone();
    const { callId } = (await client.send({ base: 'calling', method: 'POST', path: '/callouts', body: { method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi' } } })) as { callId: string };
    const record = (transcriptionOptions: unknown) => ({
      instructions: [{ name: 'startRecording', options: { destinationUrl: 's3://b/', credentials: 'k', transcriptionOptions } }],
      action: { name: 'continue' },
    });
    for (const [options, why] of [
      [{ enabled: 'true' }, /transcriptionOptions\.enabled must be true or false/],
      [{}, /transcriptionOptions\.enabled must be true or false/],
      [{ enabled: true, locale: 'english' }, /transcriptionOptions\.locale must be a language-region code/],
      [{ enabled: true, locale: 7 }, /transcriptionOptions\.locale must be a language-region code/],
      ['on', /Request data missing or not an object/],
    ] as const) {
      await expect(client.send({ base: 'calling', method: 'PATCH', path: `/calls/id/${callId}`, body: record(options) })).rejects.toThrow(why);
    }
  });
});

describe('whose app the key is, in the assign/unassign preview (issue 20)', () => {
  it("says this server's app or another application, with the key shown partly; nothing sent", async () => {
    h = await server({ env: TOKEN });
    const own = h.sandbox.app.key;
    const mine = await h.call('assign_numbers', { numbers: ['+14045005000'] });
    expect(mine.structured.preview).toContain(`The application key is this server's own app (${own.slice(0, 4)}…${own.slice(-2)}).`);
    const other = await h.call('assign_numbers', { numbers: ['+14045005000'], applicationKey: 'aaaa1111-2222-3333-4444-555566667777' });
    expect(other.structured.preview).toContain('The application key is another application: aaaa…77 (not this server\'s app).');
    const unassign = await h.call('unassign_number', { number: '+14045005000', applicationKey: 'bbbb1111-2222-3333-4444-555566667788' });
    expect(unassign.structured.preview).toContain('The application key is another application: bbbb…88');
    // A server fact: shown before the summary, with the builder's own facts.
    expect(other.structured.preview.indexOf('another application')).toBeLessThan(other.structured.preview.indexOf('Assign +14045005000'));
    expect(h.sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});
