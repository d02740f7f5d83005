// Server-checked confirmation tokens for clients that cannot ask the user themselves.
// A token is single-use, short-lived, and bound to one tool and the exact request it previewed.
import type { SinchRequest } from '../sinch/client.js';

export const TOKEN_TTL_MS = 120_000;
const MAX_OUTSTANDING = 1_000;

interface Issued {
  tool: string;
  fingerprint: string;
  expiresAt: number;
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
export function fingerprint(request: SinchRequest): string {
  const text = JSON.stringify([request.method, request.base, request.path, request.body ?? null]);
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text, 'utf8').digest('base64');
}

function randomToken(): string {
  // Web Crypto: loaded on first use only.
  return `ct_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString('base64url')}`;
}

export class ConfirmationTokens {
  private readonly issued = new Map<string, Issued>();
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = TOKEN_TTL_MS,
  ) {}

  issue(tool: string, request: SinchRequest): { token: string; expiresAt: Date } {
    this.prune();
    const token = randomToken();
    const expiresAt = this.now() + this.ttlMs;
    this.issued.set(token, { tool, fingerprint: fingerprint(request), expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Consumes the token or throws a TokenError saying why it cannot be used. */
  redeem(token: string, tool: string, request: SinchRequest): void {
    const entry = this.issued.get(token);
    if (!entry) {
      throw new TokenError(
        this.spent.has(token)
          ? 'confirmationToken was already used: each token performs one action. Call the tool again without confirmationToken to get a new preview, and ask the user again.'
          : 'confirmationToken is not valid (never issued by this server). Call the tool without confirmationToken to get a preview and a token.',
      );
    }
    // Any attempt spends the token: a token that met other arguments must be re-confirmed by the user.
    this.issued.delete(token);
    this.spent.set(token, entry.expiresAt);
    if (entry.tool !== tool) throw new TokenError(`confirmationToken was issued for ${entry.tool}, not ${tool}. Nothing was done; get a new preview for this tool.`);
    if (entry.fingerprint !== fingerprint(request)) {
      throw new TokenError('confirmationToken was issued for different arguments. Nothing was done; call again without confirmationToken to preview these arguments and ask the user.');
    }
    if (this.now() > entry.expiresAt) {
      throw new TokenError(`confirmationToken expired (tokens last ${Math.round(this.ttlMs / 1000)} s). Nothing was done; call again without confirmationToken for a new preview.`);
    }
  }

  private prune(): void {
    const now = this.now();
    for (const [token, entry] of this.issued) if (entry.expiresAt < now) this.issued.delete(token);
    for (const [token, expiresAt] of this.spent) if (expiresAt < now) this.spent.delete(token);
    // Bound memory even under a flood of previews: drop the oldest.
    while (this.issued.size >= MAX_OUTSTANDING) this.issued.delete(this.issued.keys().next().value as string);
  }
}
