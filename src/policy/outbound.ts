// Outbound-call policy: a destination allow-list and a callout rate cap. The cap's window lives in the
// shared state, so with several instances on Redis it is one budget for all of them.
import type { StateLoss } from '../state/loss.js';
import type { SharedState } from '../state/shared.js';
import { type SipPattern, readSipAddress, readSipPattern, sipCovers } from '../support/sip.js';

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const WINDOW_MS = 60_000;
const WINDOW_KEY = 'window:callouts';

type Destination = { endpoint: string; type: 'number' | 'username' | 'sip' };

export class CalloutPolicy {
  private readonly prefixes: string[];
  private readonly sipPatterns: SipPattern[];
  /** Any phone number or in-app user: no allow-list, or "*" beside SIP entries. */
  private readonly anyNumber: boolean;

  /** `allowed`: the configuration's allow-list (E.164 prefixes, "*", "sip:" patterns; [] for any number). */
  constructor(
    private readonly allowed: string[],
    private readonly maxPerMinute: number,
    private readonly now: () => number,
    private readonly state: SharedState,
    /** Whether the shared state forgot (a Redis restart without persistence): the cap then fails closed. */
    private readonly loss?: StateLoss,
  ) {
    this.prefixes = allowed.filter((entry) => entry.startsWith('+'));
    this.sipPatterns = allowed.flatMap((entry) => {
      const pattern = entry.startsWith('sip:') ? readSipPattern(entry) : undefined;
      return pattern === undefined || typeof pattern === 'string' ? [] : [pattern];
    });
    this.anyNumber = allowed.length === 0 || allowed.includes('*');
  }

  /** Throws when this destination may not be called now (checked before anyone is asked to confirm). */
  async check(destination: Destination): Promise<void> {
    this.checkDestination(destination);
    this.refuseAfterLoss();
    const { count, oldestAt } = await this.state.windowCount(WINDOW_KEY, WINDOW_MS, this.now());
    if (count >= this.maxPerMinute) throw this.overCap(oldestAt);
  }

  /** At the moment of sending: checks again and counts this callout, atomically across instances. */
  async take(destination: Destination): Promise<void> {
    this.checkDestination(destination);
    const take = () => this.state.windowTake(WINDOW_KEY, this.maxPerMinute, WINDOW_MS, this.now());
    // Judged after a marker check that followed it: a take that landed on a Redis that came back empty is refused.
    const { allowed, oldestAt } = await (this.loss ? this.loss.around(take) : take());
    this.refuseAfterLoss();
    if (!allowed) throw this.overCap(oldestAt);
  }

  /**
   * Fails closed for one window after the shared state lost its data: the callouts of the last minute are no
   * longer counted, and no instance can know them (a local count would miss the other instances' callouts).
   */
  private refuseAfterLoss(): void {
    const lostAt = this.loss?.lostAt;
    if (lostAt === undefined || this.now() - lostAt >= WINDOW_MS) return;
    const retryIn = Math.max(1, Math.ceil((lostAt + WINDOW_MS - this.now()) / 1000));
    throw new PolicyError(
      `Refused: the shared state (Redis) lost its data at ${new Date(lostAt).toISOString()} (restarted without persistence), so the callout cap (SINCH_MAX_CALLOUTS_PER_MINUTE) cannot know what was called in the last minute. Nothing was called. Try again in ${retryIn} s.`,
    );
  }

  private checkDestination(destination: Destination): void {
    if (this.allows(destination)) return;
    const listed = this.allowed.length ? this.allowed.join(', ') : 'any number or in-app user, no SIP address';
    // A SIP address can reach whatever its domain bridges to, so it is never allowed by default.
    const sip = destination.type === 'sip' ? ' SIP callouts need an explicit entry such as sip:*@pbx.example.com.' : '';
    throw new PolicyError(
      `Refused: ${destination.endpoint} is outside SINCH_ALLOWED_DESTINATIONS (${listed}). Nothing was called.${sip} Ask the operator to extend the allow-list if this call is intended.`,
    );
  }

  private allows({ type, endpoint }: Destination): boolean {
    if (type === 'sip') {
      const address = readSipAddress(endpoint);
      return typeof address !== 'string' && this.sipPatterns.some((pattern) => sipCovers(pattern, address));
    }
    return this.anyNumber || (type === 'number' && this.prefixes.some((prefix) => endpoint.startsWith(prefix)));
  }

  private overCap(oldestAt: number | undefined): PolicyError {
    const retryIn = Math.max(1, Math.ceil(((oldestAt ?? this.now()) + WINDOW_MS - this.now()) / 1000));
    return new PolicyError(
      `Refused: ${this.maxPerMinute} callouts in the last minute is the limit (SINCH_MAX_CALLOUTS_PER_MINUTE). Nothing was called. Try again in ${retryIn} s.`,
    );
  }
}
