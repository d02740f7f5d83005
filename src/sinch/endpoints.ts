// Every Calling API v1 method as a pure request builder. Path values are validated here, so a
// request that reaches the client can only address the route it names.
import type { SinchRequest } from './client.js';
import { pathSegment } from './paths.js';

export type Capability = 'voice' | 'sms';
export type ParticipantCommand = 'mute' | 'unmute' | 'onhold' | 'resume';
export type CallLeg = 'caller' | 'callee' | 'both';

export interface Svaml {
  instructions?: Array<Record<string, unknown>>;
  action: { name: 'hangup' | 'continue' | 'park'; [key: string]: unknown };
}

export interface CalloutBody {
  method: 'ttsCallout' | 'conferenceCallout';
  ttsCallout?: Record<string, unknown>;
  conferenceCallout?: Record<string, unknown>;
}

const seg = pathSegment;

export const endpoints = {
  listNumbers: (): SinchRequest => ({ base: 'management', method: 'GET', path: '/configuration/numbers' }),

  assignNumbers: (numbers: string[], applicationKey: string, capability: Capability): SinchRequest => ({
    base: 'management',
    method: 'POST',
    path: '/configuration/numbers',
    body: { numbers: numbers.map((n) => seg('number', n, 'numbers')), applicationkey: seg('applicationKey', applicationKey), capability },
  }),

  unassignNumber: (number: string, applicationKey: string, capability: Capability): SinchRequest => ({
    base: 'management',
    method: 'DELETE',
    path: '/configuration/numbers',
    body: { number: seg('number', number), applicationkey: seg('applicationKey', applicationKey), capability },
  }),

  getCallbackUrls: (applicationKey: string): SinchRequest => ({
    base: 'management',
    method: 'GET',
    path: `/configuration/callbacks/applications/${seg('applicationKey', applicationKey)}`,
  }),

  updateCallbackUrls: (applicationKey: string, urls: { primary: string; fallback?: string }): SinchRequest => ({
    base: 'management',
    method: 'POST',
    path: `/configuration/callbacks/applications/${seg('applicationKey', applicationKey)}`,
    body: { url: urls },
  }),

  queryNumber: (number: string): SinchRequest => ({
    base: 'management',
    method: 'GET',
    path: `/calling/query/number/${seg('number', number)}`,
  }),

  getCall: (callId: string): SinchRequest => ({ base: 'calling', method: 'GET', path: `/calls/id/${seg('callId', callId)}` }),

  manageCall: (callId: string, svaml: Svaml, callLeg?: CallLeg): SinchRequest => ({
    base: 'calling',
    method: 'PATCH',
    path: `/calls/id/${seg('callId', callId)}${callLeg ? `/leg/${seg('callLeg', callLeg)}` : ''}`,
    body: svaml,
  }),

  getConference: (conferenceId: string): SinchRequest => ({
    base: 'calling',
    method: 'GET',
    path: `/conferences/id/${seg('conferenceId', conferenceId)}`,
  }),

  manageParticipant: (conferenceId: string, callId: string, command: ParticipantCommand, moh?: string): SinchRequest => ({
    base: 'calling',
    method: 'PATCH',
    path: `/conferences/id/${seg('conferenceId', conferenceId)}/${seg('callId', callId)}`,
    body: moh ? { command, moh } : { command },
  }),

  kickParticipant: (conferenceId: string, callId: string): SinchRequest => ({
    base: 'calling',
    method: 'DELETE',
    path: `/conferences/id/${seg('conferenceId', conferenceId)}/${seg('callId', callId)}`,
  }),

  kickAll: (conferenceId: string): SinchRequest => ({
    base: 'calling',
    method: 'DELETE',
    path: `/conferences/id/${seg('conferenceId', conferenceId)}`,
  }),

  callout: (body: CalloutBody): SinchRequest => ({ base: 'calling', method: 'POST', path: '/callouts', body }),
};
