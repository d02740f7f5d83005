// The sandbox playing Sinch's side of callbacks: signed ICE, ACE and DiCE events to the app's callback URL,
// and the SVAML answer obeyed (connectConf joins the room with its hold music, hangup ends the call).
// Callbacks go to loopback addresses only: the sandbox simulates Sinch and never opens a connection to the network.
import { CONTENT_TYPE } from '../sinch/client.js';
import { applicationAuthorization } from '../sinch/signing.js';
import { isLoopback } from '../support/loopback.js';
import { REGION_B_PREFIX, type SandboxApp, type SandboxState, type SimCall } from './state.js';

export interface CallbackOptions {
  /** Maps the registered callback URL to where it is delivered (e.g. a local receiver behind a public URL). */
  deliverTo?: (registeredUrl: string) => string;
  /** How long the sandbox waits for an answer, like Sinch's callback timeout. */
  timeoutMs?: number;
}

/** http(s) to 127.0.0.0/8, localhost or [::1]. */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopback(parsed.hostname);
}

export class SandboxCallbacks {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: SandboxState,
    private readonly app: SandboxApp,
    private readonly options: CallbackOptions = {},
  ) {}

  /** Called for every new call: schedules ACE at answer time and DiCE at its natural end. */
  track(call: SimCall): void {
    if (!this.state.callbacks.primary) return;
    if (call.enableAce) {
      if (call.kind === 'conference') call.awaitingAce = true;
      this.at(call.answerAt, () => void this.sendAce(call));
    }
    if (call.enableDice && call.naturalEndAt !== undefined) this.at(call.naturalEndAt, () => this.ended(call));
  }

  /** Called when a call ends for any reason; sends DiCE once when it was asked for. */
  ended(call: SimCall): void {
    if (!call.enableDice || call.diceSent || this.state.view(call).state !== 'ended') return;
    call.diceSent = true;
    const view = this.state.view(call);
    void this.send({
      ...this.common('dice', call),
      reason: view.reason,
      result: view.result,
      duration: view.durationSeconds,
      from: call.cli,
      to: { ...call.destination },
      userRate: { currencyId: 'USD', amount: call.ratePerMinute },
    });
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * A call comes in to one of the app's numbers: it lives on the second region, and the app hears an ICE
   * carrying that region's callResourceUrl. Returns the call and the app's SVAML answer (obeyed like Sinch).
   */
  async incoming(origin: string, from: string, to: string): Promise<{ call: SimCall; answer: unknown }> {
    const call = this.state.createCall({
      kind: 'incoming',
      region: 'b',
      cli: from,
      destination: { type: 'did', endpoint: to },
      ratePerMinute: 0.01,
      enableDice: true,
    });
    call.answerAt = call.createdAt;
    const answer = await this.send({
      ...this.common('ice', call),
      callResourceUrl: `${origin}${REGION_B_PREFIX}/calls/id/${call.callId}`,
      cli: from,
      to: { type: 'did', endpoint: to },
      domain: 'pstn',
      originationType: 'PSTN',
      userRate: { currencyId: 'USD', amount: call.ratePerMinute },
    });
    this.obey(call, answer);
    return { call, answer };
  }

  private async sendAce(call: SimCall): Promise<void> {
    if (this.state.view(call).state === 'ended') return;
    const answer = await this.send({ ...this.common('ace', call), amd: { status: 'human', reason: 'n/a', duration: 0 } });
    this.obey(call, answer);
    // Like Sinch: no (usable) answer means the call is connected as requested.
    call.awaitingAce = false;
  }

  /** hangup ends the call; connectConf joins the room with the answer's hold music and DTMF options (none when absent). */
  private obey(call: SimCall, answer: unknown): void {
    const action = (answer as { action?: { name?: string; conferenceId?: string; moh?: string; conferenceDtmfOptions?: Record<string, unknown> } } | undefined)?.action;
    if (action?.name === 'hangup') {
      this.state.endCall(call, 'MANAGERHANGUP');
      this.ended(call);
    } else if (action?.name === 'connectConf' && action.conferenceId) {
      call.conferenceId = action.conferenceId;
      call.moh = action.moh;
      call.conferenceDtmfOptions = action.conferenceDtmfOptions;
      this.state.openRoom(action.conferenceId, call.region);
    }
  }

  /** The fields every Sinch call event carries. */
  private common(event: 'ice' | 'ace' | 'dice', call: SimCall): Record<string, unknown> {
    return {
      event,
      callid: call.callId,
      timestamp: new Date(this.state.now()).toISOString(),
      version: 1,
      applicationKey: this.app.key,
      ...(call.custom !== undefined ? { custom: call.custom } : {}),
    };
  }

  private async send(event: Record<string, unknown>): Promise<unknown> {
    const registered = this.state.callbacks.primary;
    if (!registered) return undefined;
    const target = this.options.deliverTo?.(registered) ?? registered;
    // Anything else is skipped silently, like a callback URL that does not answer.
    if (!isLoopbackUrl(target)) return undefined;
    const body = JSON.stringify(event);
    const timestamp = new Date().toISOString();
    const path = new URL(registered).pathname;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': CONTENT_TYPE,
          'x-timestamp': timestamp,
          authorization: applicationAuthorization(this.app.key, this.app.secret, { method: 'POST', body, contentType: CONTENT_TYPE, timestamp, path }),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      const text = await response.text();
      return response.ok && text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  }

  private at(time: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, Math.max(0, time - this.state.now()));
    timer.unref();
    this.timers.add(timer);
  }
}
