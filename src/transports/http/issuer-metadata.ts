// An OAuth authorization server's metadata (RFC 8414, else OpenID Connect discovery): where its keys, its
// authorization endpoint and its token endpoint are. Both the token check and the page's sign-in read it.

export interface IssuerMetadata {
  issuer?: string;
  jwks_uri?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

/** The first metadata document the issuer serves; undefined when it serves neither. */
export async function issuerMetadata(issuer: string): Promise<IssuerMetadata | undefined> {
  const base = issuer.replace(/\/+$/, '');
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    if (!response?.ok) continue;
    const metadata = (await response.json().catch(() => undefined)) as IssuerMetadata | undefined;
    if (metadata && typeof metadata === 'object') return metadata;
  }
  return undefined;
}
