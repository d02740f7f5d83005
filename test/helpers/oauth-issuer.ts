// A local OAuth authorization server for the tests, like the sandbox stands in for Sinch: its own key pair and
// JWKS, RFC 8414 metadata, /authorize that signs in the configured user at once (or answers an error), and
// /token that checks what a real one checks: client authentication, the redirect URI, PKCE (S256) and that a
// code is used once. Access tokens are JWTs for `audience`; with `openid` asked, an id_token carries the nonce.
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface SignOptions {
  expiresIn?: string;
  issuer?: string;
  audience?: string;
  foreignKey?: boolean;
}

export interface TestIssuer {
  /** The issuer identifier (http://127.0.0.1:PORT). */
  url: string;
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** For tokens a test shapes itself (e.g. without exp). */
  signingKey: CryptoKey;
  /** Who /authorize signs in next, or the error it answers with (e.g. access_denied). */
  user: { sub: string; scope: string } | { error: string };
  /** When set, the id_token carries this nonce instead of the one asked for. */
  nonceOverride?: string;
  /** Why /token refused each refused request ('client', 'code', 'redirect_uri', 'pkce'), in order. */
  refusals: string[];
  /** Codes issued by /authorize that /token exchanged. */
  exchanged: number;
  close(): Promise<void>;
}

export async function startIssuer(options: { audience: string; clientId: string; clientSecret?: string }): Promise<TestIssuer> {
  const keys = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce?: string; sub: string; scope: string }>();

  const sign = (claims: Record<string, unknown>, o: SignOptions = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(o.issuer ?? issuer.url)
      .setAudience(o.audience ?? options.audience)
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m')
      .sign(o.foreignKey ? stranger.privateKey : keys.privateKey);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer.url);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return json(200, {
        issuer: issuer.url,
        jwks_uri: `${issuer.url}/jwks`,
        authorization_endpoint: `${issuer.url}/authorize`,
        token_endpoint: `${issuer.url}/token`,
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') return authorize(url.searchParams, res);
    if (url.pathname === '/token' && req.method === 'POST') return void token(req).then(([status, body]) => json(status, body));
    return json(404, {});
  });

  function authorize(query: URLSearchParams, res: import('node:http').ServerResponse): void {
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('client_id') !== options.clientId || query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
      res.writeHead(400).end('bad authorization request');
      return;
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', query.get('state') ?? '');
    back.searchParams.set('iss', issuer.url);
    if ('error' in issuer.user) {
      back.searchParams.set('error', issuer.user.error);
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { challenge: query.get('code_challenge')!, redirectUri, nonce: query.get('nonce') ?? undefined, ...issuer.user });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  async function token(req: IncomingMessage): Promise<[number, unknown]> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const form = new URLSearchParams(text);
    const refuse = (reason: string): [number, unknown] => {
      issuer.refusals.push(reason);
      return [400, { error: reason === 'client' ? 'invalid_client' : 'invalid_grant' }];
    };
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), undefined];
    if (id !== options.clientId || secret !== options.clientSecret) return refuse('client');
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code' || !grant) return refuse('code');
    if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri');
    if (createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return refuse('pkce');
    issuer.exchanged += 1;
    const accessToken = await sign({ sub: grant.sub, scope: grant.scope });
    const idToken = grant.nonce === undefined ? undefined : await sign({ sub: grant.sub, nonce: issuer.nonceOverride ?? grant.nonce }, { audience: options.clientId });
    return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, ...(idToken ? { id_token: idToken } : {}) }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer: TestIssuer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sign,
    signingKey: keys.privateKey,
    user: { sub: 'anna', scope: 'sinch:approve' },
    refusals: [],
    exchanged: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return issuer;
}
