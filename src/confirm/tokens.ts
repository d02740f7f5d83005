// Server-checked confirmation tokens for clients that cannot ask the user themselves.
// A token is single-use, short-lived, and bound to one tool and the exact request it previewed.
import type { SinchRequest } from '../sinch/client.js';
import { fingerprint } from '../sinch/fingerprint.js';
import type { SharedState } from '../state/shared.js';
import { PendingCaps } from './pending-caps.js';

export const TOKEN_TTL_MS = 120_000;

interface Issued {
  tool: string;
  fingerprint: string;
  expiresAt: number;
  /** HTTP mode: the subject it was issued to; another caller cannot redeem it. */
  caller?: string;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/**
 * Identifies exactly what would be sent; bodies are built in a fixed key order, so this is stable.
 * Kept as a SHA-256 digest, not the request text: a maximal manage_call is ~120 KB, and 1 000
 * outstanding previews of it must not hold 1 000 copies. node:crypto is loaded on first use only.
 */
export { fingerprint };

function randomToken(): string {
  // Web Crypto: loaded on first use only.
  return `ct_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString('base64url')}`;
}

/**
 * Tokens live in the shared state: single use holds across instances (redeeming is an atomic take), and a
 * spent token is remembered until it would have expired, so a replay is told it was already used.
 */
export class ConfirmationTokens {
  constructor(
    private readonly state: SharedState,
    private readonly now: () => number,
    private readonly ttlMs = TOKEN_TTL_MS,
    /** Shared with the approval pages: an issued token waits for a person like a pending approval does. */
    private readonly caps = new PendingCaps(now),
  ) {}

  async issue(tool: string, request: SinchRequest, caller?: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomToken();
    const expiresAt = this.now() + this.ttlMs;
    const issued: Issued = { tool, fingerprint: fingerprint(request), expiresAt, caller };
    this.caps.hold(token, caller, expiresAt);
    try {
      await this.state.set(`token:${token}`, JSON.stringify(issued), this.ttlMs);
    } catch (error) {
      this.caps.release(token);
      throw error;
    }
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Consumes the token or throws a TokenError saying why it cannot be used. */
  async redeem(token: string, tool: string, request: SinchRequest, caller?: string): Promise<void> {
    if (!/^ct_[A-Za-z0-9_-]{1,64}$/.test(token)) throw new TokenError(NEVER_ISSUED);
    const stored = await this.state.take(`token:${token}`);
    this.caps.release(token);
    if (!stored) {
      throw new TokenError((await this.state.get(`spent:${token}`)) ? ALREADY_USED : NEVER_ISSUED);
    }
    const entry = JSON.parse(stored) as Issued;
    // Any attempt spends the token: a token that met other arguments must be re-confirmed by the user.
    await this.state.set(`spent:${token}`, '1', Math.max(1, entry.expiresAt - this.now()) + this.ttlMs);
    if (entry.caller !== caller) throw new TokenError('confirmationToken was issued to another caller. Nothing was done; call again without confirmationToken for your own preview.');
    if (entry.tool !== tool) throw new TokenError(`confirmationToken was issued for ${entry.tool}, not ${tool}. Nothing was done; get a new preview for this tool.`);
    if (entry.fingerprint !== fingerprint(request)) {
      throw new TokenError('confirmationToken was issued for different arguments. Nothing was done; call again without confirmationToken to preview these arguments and ask the user.');
    }
    if (this.now() > entry.expiresAt) {
      throw new TokenError(`confirmationToken expired (tokens last ${Math.round(this.ttlMs / 1000)} s). Nothing was done; call again without confirmationToken for a new preview.`);
    }
  }
}

const ALREADY_USED = 'confirmationToken was already used: each token performs one action. Call the tool again without confirmationToken to get a new preview, and ask the user again.';
const NEVER_ISSUED = 'confirmationToken is not valid (never issued by this server). Call the tool without confirmationToken to get a preview and a token.';
