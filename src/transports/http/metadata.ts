// OAuth protected-resource metadata (RFC 9728): where a client learns which authorization servers issue tokens
// for /mcp and which scopes exist. Named in every 401 and 403 challenge.
import { type Authenticator, CALLING_SCOPES } from './auth.js';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The metadata paths: the root one and the one for the /mcp resource. */
export function isMetadataPath(path: string): boolean {
  return path === METADATA_PATH || path === `${METADATA_PATH}/mcp`;
}

export function metadataUrl(resourceUrl: string): string {
  return `${new URL(resourceUrl).origin}${METADATA_PATH}`;
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
