// The approval page's sign-in at the operator's authorization server, as an OAuth client: authorization code
// with PKCE (S256) and, for OpenID Connect issuers, a nonce checked in the id_token. Endpoints come from the
// issuer's metadata. The access token it yields is checked by the caller with the same authenticator as /mcp's.
import { createHash, randomBytes } from 'node:crypto';
import { type IssuerMetadata, issuerMetadata } from './issuer-metadata.js';

export interface SignInSettings {
  issuer: string;
  clientId: string;
  /** Confidential client (client_secret_basic); absent: a public client, PKCE alone. */
  clientSecret?: string;
  /** Exactly as registered at the issuer: <public origin>/approve/callback. */
  redirectUri: string;
  jwksUrl?: string;
}

/** What one sign-in must remember between leaving for the issuer and coming back (never shown to anyone). */
interface SignInSecrets {
  verifier: string;
  nonce: string;
}

export type SignInProblem = 'issuer' | 'exchange' | 'nonce';
export type SignInResult = { ok: true; accessToken: string } | { ok: false; problem: SignInProblem };

export interface AuthorizationCodeClient {
  /** The issuer's authorization endpoint for this sign-in, and its secrets (opaque text) to finish it with. */
  begin(state: string): Promise<{ url: string; secrets: string }>;
  /** The code the issuer sent back (and its `iss`, RFC 9207, when given) exchanged for an access token. */
  finish(answer: { code: string; iss?: string }, secrets: string): Promise<SignInResult>;
}

export const SIGN_IN_SCOPE = 'openid sinch:approve';

export function authorizationCodeClient(settings: SignInSettings): AuthorizationCodeClient {
  type Endpoints = { authorize: string; token: string; jwks?: string };
  let endpoints: Promise<Endpoints> | undefined;
  const load = () =>
    (endpoints ??= issuerMetadata(settings.issuer)
      .then((metadata) => endpointsOf(settings.issuer, metadata))
      .catch((error: unknown) => {
        endpoints = undefined; // the issuer may be back later
        throw error;
      }));
  type Jose = typeof import('jose');
  let keys: { jose: Jose; jwks: ReturnType<Jose['createRemoteJWKSet']> } | undefined;

  return {
    async begin(state) {
      const { authorize } = await load();
      const secrets: SignInSecrets = { verifier: randomBytes(32).toString('base64url'), nonce: randomBytes(32).toString('base64url') };
      const url = new URL(authorize);
      const params = {
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: settings.redirectUri,
        scope: SIGN_IN_SCOPE,
        state,
        nonce: secrets.nonce,
        code_challenge: createHash('sha256').update(secrets.verifier).digest('base64url'),
        code_challenge_method: 'S256',
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return { url: url.toString(), secrets: JSON.stringify(secrets) };
    },

    async finish(answer, stored) {
      const secrets = JSON.parse(stored) as SignInSecrets;
      // RFC 9207: an answer naming another issuer is a mix-up, whatever it carries.
      if (answer.iss !== undefined && answer.iss !== settings.issuer) return { ok: false, problem: 'issuer' };
      const { token, jwks } = await load();
      const tokens = await exchange(token, answer.code, secrets.verifier);
      if (!tokens) return { ok: false, problem: 'exchange' };
      // OpenID Connect: the id_token must carry the nonce this browser left with (no replayed sign-in).
      if (tokens.idToken !== undefined && (await idTokenNonce(tokens.idToken, jwks)) !== secrets.nonce) return { ok: false, problem: 'nonce' };
      return { ok: true, accessToken: tokens.accessToken };
    },
  };

  /** The nonce of a valid id_token (signed by the issuer, for this client, unexpired); undefined otherwise. */
  async function idTokenNonce(idToken: string, jwksUri: string | undefined): Promise<unknown> {
    try {
      if (!keys) {
        const jose = await import('jose');
        keys = { jose, jwks: jose.createRemoteJWKSet(new URL(settings.jwksUrl ?? jwksUri ?? ''), { cooldownDuration: 30_000 }) };
      }
      const { jose, jwks } = keys;
      const { payload } = await jose.jwtVerify(idToken, jwks, { issuer: settings.issuer, audience: settings.clientId, requiredClaims: ['nonce'] });
      return payload.nonce;
    } catch {
      return undefined;
    }
  }

  async function exchange(endpoint: string, code: string, verifier: string): Promise<{ accessToken: string; idToken?: string } | undefined> {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: settings.redirectUri, code_verifier: verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (settings.clientSecret === undefined) body.set('client_id', settings.clientId);
    else headers.authorization = `Basic ${Buffer.from(`${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`).toString('base64')}`;
    // What the issuer answers is never repeated: it may hold tokens, and its errors are not the person's business.
    const response = await fetch(endpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (!response?.ok) return undefined;
    const json = (await response.json().catch(() => undefined)) as { access_token?: unknown; id_token?: unknown } | undefined;
    if (typeof json?.access_token !== 'string') return undefined;
    return { accessToken: json.access_token, idToken: typeof json.id_token === 'string' ? json.id_token : undefined };
  }
}

/** RFC 6749 2.3.1: the id and secret are form-encoded before Basic. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function endpointsOf(issuer: string, metadata: IssuerMetadata | undefined): { authorize: string; token: string; jwks?: string } {
  const { authorization_endpoint: authorize, token_endpoint: token, jwks_uri: jwks } = metadata ?? {};
  if (!metadata || metadata.issuer !== issuer) throw new Error(`${issuer} serves no metadata for itself`);
  if (typeof authorize !== 'string' || typeof token !== 'string' || !URL.canParse(authorize) || !URL.canParse(token)) throw new Error(`${issuer} names no authorization or token endpoint`);
  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) throw new Error(`${issuer} does not support PKCE with S256`);
  return { authorize, token, jwks };
}
