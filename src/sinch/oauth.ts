// A bearer token from Sinch's OAuth2 client-credentials endpoint, kept until shortly before it expires: one
// token request serves every lookup of its lifetime, and concurrent lookups share one request for a new one.
// Nothing here logs or returns the token other than to the caller that sends it.

export interface IssuedToken {
  value: string;
  /** expires_in, in seconds. */
  expiresInS: number;
}

// Renewed a little early, so a token never expires on its way to Sinch: a minute, or a tenth of a short life.
const MAX_EARLY_MS = 60_000;

export class AccessTokens {
  private cached?: { value: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    this.pending ??= this.issue()
      .then((token) => {
        const lifeMs = token.expiresInS * 1000;
        this.cached = { value: token.value, renewAt: this.now() + lifeMs - Math.min(MAX_EARLY_MS, lifeMs / 10) };
        return token.value;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Sinch refused this token before its time (revoked, or a clock off): the next get() asks for a new one. */
  drop(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }
}
