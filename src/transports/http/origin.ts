// Origin header check on /mcp: a browser page may talk to the server only from an origin the operator allowed;
// a request without Origin (any non-browser client) is judged by its bearer token alone.
import type { IncomingMessage } from 'node:http';
import { headerValue } from '../../support/http-request.js';

export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = headerValue(req, 'origin');
  return origin === undefined || allowed.includes(origin);
}
