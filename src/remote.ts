// Remote mode (--http): the same createServer() behind an authenticated Streamable HTTP edge, one session
// per client, with the callback receiver and the login-protected approval pages on the same port.
import { readFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError } from './config/error.js';
import type { Config, HttpConfig } from './config/config.js';
import { Approvals, isRandomId, randomId } from './confirm/approvals.js';
import type { ApprovalPages } from './confirm/ask.js';
import { APPROVAL_PATH, type ApproverSessions, approvalHandler } from './confirm/page-server.js';
import type { EventBuffer } from './events/buffer.js';
import { type Authenticator, AuthConfigError, grants, oauthTokens, staticTokens } from './transports/http/auth.js';
import { type Edge, type Handler, startEdge } from './transports/http/edge.js';
import { scopeFor, scopesAllow } from './transports/http/scopes.js';
import type { Audit } from './support/audit.js';
import { createServer } from './mcp/server.js';
import type { SinchClient } from './sinch/client.js';
import type { CallState } from './state/calls.js';
import type { SharedState } from './state/shared.js';

export interface RemoteDeps {
  config: Config & { http: HttpConfig };
  client: SinchClient;
  sandbox: boolean;
  toolListing?: Tool[];
  events?: EventBuffer;
  calls: CallState;
  audit: Audit;
  inflight: Set<Promise<unknown>>;
  /** The callback receiver as a handler, mounted at its public path. */
  receiver?: { path: string; handle: Handler };
  /** Shared state: approvals and approvers' sign-ins live there, so any instance's page works for any call. */
  state: SharedState;
}

export function authenticatorFor(http: HttpConfig): Authenticator {
  if (http.auth.kind === 'oauth') return oauthTokens(http.auth);
  let text: string;
  try {
    text = readFileSync(http.auth.file, 'utf8');
  } catch (error) {
    throw new ConfigError(`SINCH_HTTP_TOKENS_FILE=${JSON.stringify(http.auth.file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    return staticTokens(text);
  } catch (error) {
    if (error instanceof AuthConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

export async function serveHttp(deps: RemoteDeps): Promise<Edge> {
  const { config } = deps;
  const http = config.http;
  const auth = authenticatorFor(http);
  const approvals = new Approvals(deps.state);
  let origin = '';
  const pages: ApprovalPages = { approvals, urlFor: async (id) => `${origin}${APPROVAL_PATH}${id}` };
  let hosts: string[] = [];
  const approvalPages = approvalHandler(approvals, () => hosts, {
    async authenticate(token) {
      const result = await auth.authenticate(token);
      return result.ok ? result.caller : undefined;
    },
    allows: (approval, scopes) => grants(scopes, approval.context.tool ? scopeFor(approval.context.tool) : 'sinch:call'),
    needs: (approval) => (approval.context.tool ? scopeFor(approval.context.tool) : 'sinch:call'),
    sessions: sharedApproverSessions(deps.state),
    secure: http.publicUrl?.startsWith('https:') ?? false,
  });
  const edge = await startEdge({
    host: http.host,
    port: http.port,
    publicUrl: http.publicUrl,
    allowedHosts: http.allowedHosts,
    allowedOrigins: http.allowedOrigins,
    auth,
    mounts: [{ prefix: APPROVAL_PATH, handle: approvalPages }, ...(deps.receiver ? [{ prefix: deps.receiver.path, handle: deps.receiver.handle }] : [])],
    newSession: (caller) =>
      createServer({
        config,
        client: deps.client,
        sandbox: deps.sandbox,
        toolListing: deps.toolListing,
        events: deps.events,
        calls: deps.calls,
        audit: deps.audit,
        inflight: deps.inflight,
        approvalPages: pages,
        state: deps.state,
        // The server is not on the person's machine: it cannot open their browser.
        openUrl: async () => ({ ok: false, reason: 'the server runs remotely (HTTP mode) and cannot open a browser on your machine' }),
        access: { scopes: caller.scopes, allows: scopesAllow },
      }),
  });
  origin = new URL(http.publicUrl ?? edge.url).origin;
  hosts = [new URL(edge.url).host, ...(http.publicUrl ? [new URL(http.publicUrl).host] : []), ...(http.allowedHosts ?? [])];
  return edge;
}

/** Signed-in approvers (15 minutes), in the shared state; the cookie holds only a random id. */
function sharedApproverSessions(state: SharedState, ttlMs = 15 * 60_000): ApproverSessions {
  return {
    async create(subject, scopes, expiresAt) {
      const id = randomId();
      // Never longer than the token it was made with: a sign-in must not outlive an expired JWT.
      const lifetime = Math.min(ttlMs, expiresAt === undefined ? ttlMs : expiresAt - Date.now());
      if (lifetime > 0) await state.set(`approver:${id}`, JSON.stringify({ subject, scopes }), lifetime);
      return id;
    },
    async get(id) {
      if (!isRandomId(id)) return undefined;
      const stored = await state.get(`approver:${id}`);
      return stored ? (JSON.parse(stored) as { subject: string; scopes: string[] }) : undefined;
    },
  };
}
