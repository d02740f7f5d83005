// Bearer authentication on /mcp: every request carries a token, checked by the operator's authenticator; a
// missing or refused one gets a 401, a token with none of the server's scopes a 403, each with a challenge
// that names the resource metadata (when there is any: OAuth only).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue, sendJson } from '../../support/http-request.js';
import { type Authenticator, CALLING_SCOPES, type Caller } from './auth.js';

export interface Authenticated {
  caller: Caller;
  token: string;
  /** The token's hash (credentialOf). */
  credential: string;
}

/** The caller, or undefined once the challenge has been answered. */
export async function authenticateBearer(req: IncomingMessage, res: ServerResponse, auth: Authenticator, metadataUrl: string | undefined): Promise<Authenticated | undefined> {
  const token = headerValue(req, 'authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const result = await auth.authenticate(token);
  if (!result.ok) return void challenge(res, metadataUrl, 401, result.error, result.description);
  // An approver's token (sinch:approve alone) signs in on the approval page; it does not call tools.
  if (!result.caller.scopes.some((scope) => (CALLING_SCOPES as readonly string[]).includes(scope))) {
    return void challenge(res, metadataUrl, 403, 'insufficient_scope', `the token carries none of the calling scopes (${CALLING_SCOPES.join(', ')})`);
  }
  return { caller: result.caller, token: token!, credential: result.credential };
}

function challenge(res: ServerResponse, metadataUrl: string | undefined, status: 401 | 403, error: string, description: string): void {
  const parts = [...(metadataUrl ? [`resource_metadata="${metadataUrl}"`] : []), `error="${error}"`, `error_description="${description.replace(/"/g, "'")}"`, `scope="${CALLING_SCOPES.join(' ')}"`];
  sendJson(res, status, { error, error_description: description }, { 'www-authenticate': `Bearer ${parts.join(', ')}` });
}
