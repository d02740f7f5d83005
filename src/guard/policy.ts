// Outbound-call policy: a destination allow-list and a per-process callout rate cap.
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const WINDOW_MS = 60_000;

export class CalloutPolicy {
  private readonly recent: number[] = [];

  constructor(
    private readonly allowedPrefixes: string[],
    private readonly maxPerMinute: number,
    private readonly now: () => number,
  ) {}

  /** Throws when this destination may not be called now. */
  check(destination: { endpoint: string; type: 'number' | 'username' }): void {
    if (this.allowedPrefixes.length > 0) {
      const allowed = destination.type === 'number' && this.allowedPrefixes.some((prefix) => destination.endpoint.startsWith(prefix));
      if (!allowed) {
        throw new PolicyError(
          `Refused: ${destination.endpoint} is outside SINCH_ALLOWED_DESTINATIONS (${this.allowedPrefixes.join(', ')}). Nothing was called. Ask the operator to extend the allow-list if this call is intended.`,
        );
      }
    }
    const now = this.now();
    while (this.recent.length && this.recent[0]! <= now - WINDOW_MS) this.recent.shift();
    if (this.recent.length >= this.maxPerMinute) {
      const retryIn = Math.max(1, Math.ceil((this.recent[0]! + WINDOW_MS - now) / 1000));
      throw new PolicyError(
        `Refused: ${this.maxPerMinute} callouts in the last minute is the limit (SINCH_MAX_CALLOUTS_PER_MINUTE). Nothing was called. Try again in ${retryIn} s.`,
      );
    }
  }

  /** Counts a callout that is being sent. */
  record(): void {
    this.recent.push(this.now());
  }
}
