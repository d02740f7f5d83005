// Outbound-call policy: a destination allow-list and a callout rate cap. The cap's window lives in the
// shared state, so with several instances on Redis it is one budget for all of them.
import type { SharedState } from '../state/shared.js';

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const WINDOW_MS = 60_000;
const WINDOW_KEY = 'window:callouts';

type Destination = { endpoint: string; type: 'number' | 'username' };

export class CalloutPolicy {
  constructor(
    private readonly allowedPrefixes: string[],
    private readonly maxPerMinute: number,
    private readonly now: () => number,
    private readonly state: SharedState,
  ) {}

  /** Throws when this destination may not be called now (checked before anyone is asked to confirm). */
  async check(destination: Destination): Promise<void> {
    this.checkDestination(destination);
    const { count, oldestAt } = await this.state.windowCount(WINDOW_KEY, WINDOW_MS, this.now());
    if (count >= this.maxPerMinute) throw this.overCap(oldestAt);
  }

  /** At the moment of sending: checks again and counts this callout, atomically across instances. */
  async take(destination: Destination): Promise<void> {
    this.checkDestination(destination);
    const { allowed, oldestAt } = await this.state.windowTake(WINDOW_KEY, this.maxPerMinute, WINDOW_MS, this.now());
    if (!allowed) throw this.overCap(oldestAt);
  }

  private checkDestination(destination: Destination): void {
    if (this.allowedPrefixes.length === 0) return;
    const allowed = destination.type === 'number' && this.allowedPrefixes.some((prefix) => destination.endpoint.startsWith(prefix));
    if (!allowed) {
      throw new PolicyError(
        `Refused: ${destination.endpoint} is outside SINCH_ALLOWED_DESTINATIONS (${this.allowedPrefixes.join(', ')}). Nothing was called. Ask the operator to extend the allow-list if this call is intended.`,
      );
    }
  }

  private overCap(oldestAt: number | undefined): PolicyError {
    const retryIn = Math.max(1, Math.ceil(((oldestAt ?? this.now()) + WINDOW_MS - this.now()) / 1000));
    return new PolicyError(
      `Refused: ${this.maxPerMinute} callouts in the last minute is the limit (SINCH_MAX_CALLOUTS_PER_MINUTE). Nothing was called. Try again in ${retryIn} s.`,
    );
  }
}
