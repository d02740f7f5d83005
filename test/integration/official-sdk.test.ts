// Requests made by Sinch's official Node SDK must be accepted by the sandbox: that shows the sandbox
// checks signatures like Sinch does, not just like our own client.
import { VoiceService } from '@sinch/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

let sandbox: Sandbox;
let voice: VoiceService;

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  const origin = new URL(sandbox.callingUrl).origin;
  voice = new VoiceService({
    applicationKey: sandbox.app.key,
    applicationSecret: sandbox.app.secret,
    voiceHostname: origin,
    voiceApplicationManagementHostname: origin,
  });
});
afterAll(() => sandbox.close());

describe('the official @sinch/voice SDK against the sandbox', () => {
  it('is accepted on every endpoint it signs', async () => {
    const key = sandbox.app.key;
    const numbers = await voice.applications.listNumbers({});
    expect(numbers.numbers?.length).toBeGreaterThan(0);
    await voice.applications.assignNumbers({ assignNumbersRequestBody: { numbers: ['+14045005000'], applicationkey: key, capability: 'voice' } });
    await voice.applications.unassignNumber({ unassignNumbersRequestBody: { number: '+14045005000', applicationkey: key, capability: 'voice' } });
    await voice.applications.updateCallbackURLs({ applicationkey: key, updateCallbacksRequestBody: { url: { primary: 'https://example.com/cb' } } });
    expect((await voice.applications.getCallbackURLs({ applicationkey: key })).url?.primary).toBe('https://example.com/cb');
    const query = await voice.applications.queryNumber({ number: '+46 73 017 01 01' });
    expect(JSON.stringify(query)).toContain('+46730170101');

    const tts = await voice.callouts.tts({
      ttsCalloutRequestBody: { method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'Hello from the SDK' } },
    });
    expect(tts.callId).toMatch(/^[a-f0-9]{32}$/);
    const conf = await voice.callouts.conference({
      conferenceCalloutRequestBody: {
        method: 'conferenceCallout',
        conferenceCallout: { destination: { type: 'number', endpoint: '+46708425201' }, conferenceId: 'sdkRoom' },
      },
    });
    expect((await voice.calls.get({ callId: tts.callId! })).callId).toBe(tts.callId);
    await voice.conferences.manageParticipant({ conferenceId: 'sdkRoom', callId: conf.callId!, manageParticipantRequestBody: { command: 'mute' } });
    expect((await voice.conferences.get({ conferenceId: 'sdkRoom' })).participants?.[0]).toMatchObject({ id: conf.callId, muted: true });
    await voice.calls.manageWithCallLeg({
      callId: tts.callId!,
      callLeg: 'caller',
      manageWithCallLegRequestBody: { instructions: [{ name: 'say', text: 'Hi', locale: 'en-US' }], action: { name: 'continue' } },
    });
    await voice.conferences.kickParticipant({ conferenceId: 'sdkRoom', callId: conf.callId! });
    await voice.conferences.kickAll({ conferenceId: 'sdkRoom' });
    await voice.calls.update({ callId: tts.callId!, updateCallRequestBody: { action: { name: 'hangup' } } });
    expect((await voice.calls.get({ callId: tts.callId! })).reason).toBe('MANAGERHANGUP');

    // Nothing was refused: every request passed signature verification.
    expect(sandbox.requests.length).toBe(16);
  });

  it('is refused when it signs with another secret', async () => {
    const origin = new URL(sandbox.callingUrl).origin;
    const impostor = new VoiceService({
      applicationKey: sandbox.app.key,
      applicationSecret: 'AAAAAAAAAAAAAAAAAAAAAA==',
      voiceHostname: origin,
      voiceApplicationManagementHostname: origin,
    });
    await expect(impostor.applications.listNumbers({})).rejects.toThrow();
  });
});
