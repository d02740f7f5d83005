// Who is calling, in HTTP mode: a bearer token checked against the operator's list of token hashes, or a JWT
// from the operator's OAuth authorization server (issuer, audience, keys from its JWKS, cached and rotated).
import { createHash, timingSafeEqual } from 'node:crypto';
import { APPROVE_SCOPE, CALLING_SCOPES } from '../../kinds/scopes.js';
import { issuerMetadata } from './issuer-metadata.js';

export { APPROVE_SCOPE, CALLING_SCOPES };
export const SCOPES = [...CALLING_SCOPES, APPROVE_SCOPE] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  /** The subject: a JWT's `sub`, or the name given to a static token. */
  subject: string;
  scopes: Scope[];
  /** When the credential stops being valid (a JWT's exp), in ms since the epoch; static tokens do not expire. */
  expiresAt?: number;
}

/** What tells one credential from another without keeping it: the SHA-256 of the token, in hex. */
export function credentialOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `credential`: credentialOf(token), which the static lookup computes anyway, so a request hashes its token once. */
export type AuthResult = { ok: true; caller: Caller; credential: string } | { ok: false; error: 'invalid_request' | 'invalid_token'; description: string };

/** The person a token signs in on the approval page: its caller, with the credential that tells its token apart. */
export async function signedInPerson(auth: Authenticator, token: string): Promise<(Caller & { credential: string }) | undefined> {
  const result = await auth.authenticate(token);
  return result.ok ? { ...result.caller, credential: result.credential } : undefined;
}

export interface Authenticator {
  /** What the protected-resource metadata names as where tokens come from (OAuth only). */
  authorizationServers: string[];
  authenticate(token: string | undefined): Promise<AuthResult>;
}

/** A scope that includes another: sinch:call ⊃ sinch:moderate ⊃ sinch:read; sinch:approve only itself. */
export function grants(scopes: readonly string[], needed: Scope): boolean {
  if (needed === APPROVE_SCOPE) return scopes.includes(APPROVE_SCOPE);
  const rank = (scope: string) => CALLING_SCOPES.indexOf(scope as (typeof CALLING_SCOPES)[number]);
  return scopes.some((scope) => rank(scope) >= rank(needed));
}

export class AuthConfigError extends Error {}

/**
 * Static tokens (SINCH_HTTP_TOKENS_FILE): one per line, `<sha256 hex of the token> <scope,scope> [name]`;
 * `#` starts a comment. Only hashes are stored, read once at start into a Map: a presented token is hashed, looked
 * up by its hash (one lookup, whatever the file's length) and compared in constant time.
 */
export function staticTokens(fileText: string): Authenticator {
  const entries = fileText
    .split('\n')
    .map((line, index) => ({ line: line.replace(/#.*$/, '').trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      const [hash, scopeList, name] = line.split(/\s+/);
      if (!/^[0-9a-f]{64}$/i.test(hash ?? '')) throw new AuthConfigError(`SINCH_HTTP_TOKENS_FILE line ${number}: the first field must be the token's SHA-256 in hex (64 characters).`);
      const scopes = (scopeList ?? '').split(',').filter(Boolean);
      const unknown = scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
      if (scopes.length === 0 || unknown) throw new AuthConfigError(`SINCH_HTTP_TOKENS_FILE line ${number}: scopes must be a comma list of ${SCOPES.join(', ')}.`);
      return { hash: Buffer.from(hash!.toLowerCase(), 'hex'), caller: { subject: name ?? `token:${hash!.slice(0, 8).toLowerCase()}`, scopes: scopes as Scope[] } };
    });
  if (entries.length === 0) throw new AuthConfigError('SINCH_HTTP_TOKENS_FILE lists no token.');
  // Keyed by the hash, not the token: the lookup's timing can tell at most something about a SHA-256.
  const byHash = new Map(entries.map((entry) => [entry.hash.toString('hex'), entry]));
  return {
    authorizationServers: [],
    async authenticate(token) {
      if (!token) return { ok: false, error: 'invalid_request', description: 'a bearer token is required' };
      const presented = createHash('sha256').update(token, 'utf8').digest();
      const credential = presented.toString('hex');
      const entry = byHash.get(credential);
      return entry && timingSafeEqual(presented, entry.hash) ? { ok: true, caller: entry.caller, credential } : { ok: false, error: 'invalid_token', description: 'unknown token' };
    },
  };
}

export interface OAuthSettings {
  issuer: string;
  audience: string;
  /** Where the signing keys are; default: the jwks_uri from the issuer's metadata. */
  jwksUrl?: string;
}

/** JWT access tokens from the operator's authorization server, verified with jose. */
export function oauthTokens(settings: OAuthSettings): Authenticator {
  type Jose = typeof import('jose');
  let keys: Promise<{ jose: Jose; jwks: ReturnType<Jose['createRemoteJWKSet']> }> | undefined;
  const load = () =>
    (keys ??= (async () => {
      const jose = await import('jose');
      const url = settings.jwksUrl ?? (await discoverJwksUrl(settings.issuer));
      // jose caches the key set and fetches it again when a token names a key it does not know (rotation).
      return { jose, jwks: jose.createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }) };
    })().catch((error: unknown) => {
      keys = undefined; // the issuer may be back later
      throw error;
    }));
  return {
    authorizationServers: [settings.issuer],
    async authenticate(token) {
      if (!token) return { ok: false, error: 'invalid_request', description: 'a bearer token is required' };
      try {
        const { jose, jwks } = await load();
        // An access token must expire: one without exp would stay valid forever.
        const { payload } = await jose.jwtVerify(token, jwks, { issuer: settings.issuer, audience: settings.audience, requiredClaims: ['exp', 'sub'] });
        const scopes = (typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp.map(String) : []).filter((scope): scope is Scope =>
          (SCOPES as readonly string[]).includes(scope),
        );
        if (!payload.sub) return { ok: false, error: 'invalid_token', description: 'the token has no subject (sub)' };
        return { ok: true, caller: { subject: payload.sub, scopes, expiresAt: payload.exp! * 1000 }, credential: credentialOf(token) };
      } catch (error) {
        return { ok: false, error: 'invalid_token', description: describeJwtError(error) };
      }
    },
  };
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const jwksUri = (await issuerMetadata(issuer))?.jwks_uri;
  if (typeof jwksUri === 'string') return jwksUri;
  throw new Error(`could not find the signing keys (jwks_uri) of ${issuer}; set SINCH_OAUTH_JWKS_URL`);
}

function describeJwtError(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `the token's ${(error as { claim?: string }).claim ?? 'claims'} is not accepted here`;
  if (code.startsWith('ERR_JWS') || code.startsWith('ERR_JWK') || code === 'ERR_JWKS_NO_MATCHING_KEY') return 'the token signature could not be verified';
  return 'the token could not be verified';
}
