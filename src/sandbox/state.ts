// The sandbox's world: one application, owned numbers, callback URLs, calls and conferences.
// Call progress is derived from the clock on every read (ringing -> answered -> ended), so the
// simulation needs no timers and stays deterministic under an injected clock.
import { randomUUID } from 'node:crypto';

export interface SandboxApp {
  key: string;
  secret: string;
}

export interface OwnedNumber {
  number: string;
  capability: 'voice' | 'sms';
  applicationkey?: string;
}

/** The sandbox's second region: calls that arrived by ICE live there (like Sinch's regional hosts). */
export const REGION_B_PREFIX = '/region-b/calling/v1';

export interface SimCall {
  callId: string;
  kind: 'tts' | 'conference' | 'incoming';
  /** 'b' for calls on the second region (REGION_B_PREFIX); answered 404 on the other. */
  region?: 'b';
  cli: string;
  destination: { type: string; endpoint: string };
  conferenceId?: string;
  custom?: string;
  createdAt: number;
  answerAt: number;
  /** When the call would end by itself (tts: message played; conference: maxDuration). */
  naturalEndAt?: number;
  endedAt?: number;
  endReason?: string;
  muted: boolean;
  onhold: boolean;
  /** Hold music the callee hears in the room (from the callout's mohClass, a connectConf answer or an onhold command). */
  moh?: string;
  conferenceDtmfOptions?: Record<string, unknown>;
  /** Tones sent on answer. */
  dtmf?: string;
  /** Set by startRecording (credentials are checked for presence, never kept). */
  recording?: { destinationUrl: string; format: string; transcription?: { enabled: boolean; locale?: string } };
  /** Tones sent into the live call (sendDtmf), in order. */
  tonesSent: string[];
  ratePerMinute: number;
  enableAce?: boolean;
  enableDice?: boolean;
  /** A conference callout with ACE joins its room only once the app answered the ACE. */
  awaitingAce?: boolean;
  diceSent?: boolean;
}

export interface CallView {
  state: 'ringing' | 'answered' | 'ended';
  result: 'N/A' | 'ANSWERED' | 'NOANSWER';
  reason: string;
  durationSeconds: number;
}

export interface Timing {
  /** How long a callout rings before it is answered. */
  answerAfterMs: number;
  /** How long a text-to-speech callout stays up once answered. */
  ttsDurationMs: number;
}

/** 'b' for the second region (REGION_B_PREFIX), undefined for the default one. */
export type SimRegion = SimCall['region'];

export class SandboxState {
  readonly calls = new Map<string, SimCall>();
  // A room lives on one region, like a call: the same id on another region is another room (or none).
  private readonly rooms = new Set<string>();
  numbers: OwnedNumber[];
  callbacks: { primary?: string; fallback?: string } = {};

  constructor(
    readonly app: SandboxApp,
    readonly timing: Timing,
    readonly now: () => number,
  ) {
    this.numbers = [
      { number: '+46730170101', capability: 'voice', applicationkey: app.key },
      { number: '+14045005000', capability: 'voice' },
      { number: '+46708168731', capability: 'sms' },
    ];
  }

  createCall(input: Omit<SimCall, 'callId' | 'createdAt' | 'answerAt' | 'muted' | 'onhold' | 'naturalEndAt' | 'tonesSent'> & { liveMs?: number }): SimCall {
    const createdAt = this.now();
    const answerAt = createdAt + this.timing.answerAfterMs;
    const { liveMs, ...rest } = input;
    const call: SimCall = {
      ...rest,
      callId: randomUUID().replace(/-/g, ''),
      createdAt,
      answerAt,
      naturalEndAt: liveMs === undefined ? undefined : answerAt + liveMs,
      muted: false,
      onhold: false,
      tonesSent: [],
    };
    this.calls.set(call.callId, call);
    if (call.conferenceId) this.openRoom(call.conferenceId, call.region);
    return call;
  }

  /** Sinch knows a room once it has had a participant, on the region that participant's call lives on. */
  openRoom(conferenceId: string, region: SimRegion): void {
    this.rooms.add(roomKey(conferenceId, region));
  }

  knowsRoom(conferenceId: string, region: SimRegion): boolean {
    return this.rooms.has(roomKey(conferenceId, region));
  }

  view(call: SimCall): CallView {
    const now = this.now();
    const endedAt = this.effectiveEnd(call, now);
    const answered = (endedAt ?? now) >= call.answerAt;
    const durationSeconds = answered ? Math.floor(((endedAt ?? now) - call.answerAt) / 1000) : 0;
    if (endedAt === undefined) {
      return { state: answered ? 'answered' : 'ringing', result: answered ? 'ANSWERED' : 'N/A', reason: 'N/A', durationSeconds };
    }
    const reason = call.endedAt !== undefined && endedAt === call.endedAt ? (call.endReason ?? 'N/A') : 'CALLEEHANGUP';
    return { state: 'ended', result: answered ? 'ANSWERED' : 'N/A', reason, durationSeconds };
  }

  /** Ends a live call now; false when it had already ended. */
  endCall(call: SimCall, reason: string): boolean {
    if (this.view(call).state === 'ended') return false;
    call.endedAt = this.now();
    call.endReason = reason;
    return true;
  }

  /** Who is in a room on a region (the default region unless told). */
  participants(conferenceId: string, region?: SimRegion): SimCall[] {
    return [...this.calls.values()].filter((c) => c.conferenceId === conferenceId && c.region === region && !c.awaitingAce && this.view(c).state === 'answered');
  }

  private effectiveEnd(call: SimCall, now: number): number | undefined {
    const ends = [call.endedAt, call.naturalEndAt].filter((t): t is number => t !== undefined && t <= now);
    return ends.length ? Math.min(...ends) : undefined;
  }
}

function roomKey(conferenceId: string, region: SimRegion): string {
  return `${region ?? 'default'}/${conferenceId}`;
}
