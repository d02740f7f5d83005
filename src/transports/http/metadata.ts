// OAuth protected-resource metadata (RFC 9728): where a client learns which authorization servers issue tokens
// for /mcp and which scopes exist. Served, and named in every 401 and 403 challenge, only when there is an
// authorization server: with static tokens there is nowhere to get a token from, so nothing is advertised.
import { type Authenticator, CALLING_SCOPES } from './auth.js';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The metadata paths: the root one and the one for the /mcp resource. */
export function isMetadataPath(path: string): boolean {
  return path === METADATA_PATH || path === `${METADATA_PATH}/mcp`;
}

/** Where the metadata is, or undefined when there is none to serve (static tokens). */
export function metadataUrl(resourceUrl: string, auth: Authenticator): string | undefined {
  return auth.authorizationServers.length ? `${new URL(resourceUrl).origin}${METADATA_PATH}` : undefined;
}

export function protectedResourceMetadata(resourceUrl: string, auth: Authenticator) {
  return {
    resource: resourceUrl,
    authorization_servers: auth.authorizationServers,
    // The scopes /mcp accepts: sinch:approve is for the approval page, not for calling tools.
    scopes_supported: [...CALLING_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Sinch Calling MCP',
  };
}
