// The remote edge: one HTTP port for a team. Host checked first (host.ts); MCP Streamable HTTP at /mcp behind
// the Origin check (origin.ts) and a bearer token on every request (bearer.ts), each session bound to the
// subject that opened it (sessions.ts); the protected-resource metadata (metadata.ts); and mounted handlers
// for the callback receiver and the approval pages. The port is bound before the edge is made, so every
// address it names is known from the start.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { BodyTooLargeError, headerValue, readBody, sendJson } from '../../support/http-request.js';
import type { Handler } from '../../support/http-server.js';
import type { Authenticator, Caller } from './auth.js';
import { authenticateBearer } from './bearer.js';
import { allowedHosts, hostAllowed } from './host.js';
import { isMetadataPath, metadataUrl, protectedResourceMetadata } from './metadata.js';
import { originAllowed } from './origin.js';
import { DEFAULT_SESSION_LIMITS, type SessionLimits, Sessions } from './sessions.js';

export interface EdgeOptions {
  /** The bound port: its origin, Host and port number. */
  bound: { origin: string; host: string; port: number };
  /** The URL clients use for /mcp (behind a proxy: the public one); names the protected resource. */
  publicUrl?: string;
  /** Host header values accepted (see host.ts); undefined: the defaults. */
  allowedHosts?: string[];
  /** Origin header values accepted on /mcp when a browser sends one. */
  allowedOrigins: string[];
  auth: Authenticator;
  /** A new MCP server for a new session of this caller. */
  newSession(caller: Caller): McpServer;
  /** Other routes on the same port, by path prefix (the receiver, the approval pages). */
  mounts?: Array<{ prefix: string; handle: Handler }>;
  sessionLimits?: Partial<SessionLimits>;
  maxBodyBytes?: number;
  /**
   * Whether a session ever sends outside a request's own answer (resource updates: the receiver's events). Without,
   * GET /mcp answers 405, which the spec lets a client take as "no stream here", and holds no connection.
   */
  eventStreams?: boolean;
}

export interface Edge {
  /** Where /mcp answers on this machine. */
  url: string;
  /** Every request on the port. */
  handle: Handler;
  sessions(): number;
  /** Closes every session (the port itself belongs to whoever bound it). */
  close(): Promise<void>;
}

export function createEdge(options: EdgeOptions): Edge {
  const url = `${options.bound.origin}/mcp`;
  const resourceUrl = options.publicUrl ?? url;
  const hosts = allowedHosts(options.bound, options.publicUrl, options.allowedHosts);
  const metadata = metadataUrl(resourceUrl, options.auth);
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const sessions = new Sessions(options.newSession, { ...DEFAULT_SESSION_LIMITS, ...options.sessionLimits });

  async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!originAllowed(req, options.allowedOrigins)) return sendJson(res, 403, { error: 'origin not allowed' });
    const authenticated = await authenticateBearer(req, res, options.auth, metadata);
    if (!authenticated) return;
    const { caller, token, credential } = authenticated;
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req, maxBodyBytes));
      } catch (error) {
        const tooLarge = error instanceof BodyTooLargeError;
        return sendJson(res, tooLarge ? 413 : 400, rpcError(-32700, tooLarge ? 'request too large' : 'parse error'));
      }
    }
    // The SDK hands this to every handler as extra.authInfo: scopes are checked on each call.
    // `credential` (the token's hash) lets the approval page refuse this very token as the approver of its calls.
    (req as IncomingMessage & { auth?: unknown }).auth = { token, clientId: caller.subject, scopes: caller.scopes, extra: { subject: caller.subject, credential } };

    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId) {
      const session = sessions.use(sessionId, caller.subject);
      if (session === 'unknown') return sendJson(res, 404, rpcError(-32001, 'session not found; initialize again'));
      if (session === 'foreign') return sendJson(res, 403, rpcError(-32003, 'this session belongs to another caller'));
      if (req.method === 'GET' && options.eventStreams === false) return sendJson(res, 405, rpcError(-32000, 'no event stream: this server sends nothing outside answers'), { allow: 'POST, DELETE' });
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return sendJson(res, 400, rpcError(-32000, 'no session: send initialize first (without Mcp-Session-Id)'));
    if (sessions.full()) return sendJson(res, 503, rpcError(-32000, 'too many sessions'));
    const transport = await sessions.start(caller);
    return transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts)) return sendJson(res, 421, { error: 'host not allowed' });
    // Every MCP message comes to /mcp itself: that one is recognised without parsing a URL.
    const path = req.url === '/mcp' ? '/mcp' : new URL(req.url ?? '/', 'http://edge').pathname;
    if (path === '/mcp') return handleMcp(req, res);
    if (metadata && isMetadataPath(path)) return sendJson(res, 200, protectedResourceMetadata(resourceUrl, options.auth));
    const mount = options.mounts?.find((m) => path.startsWith(m.prefix));
    if (mount) return mount.handle(req, res);
    return sendJson(res, 404, { error: 'not found' });
  }

  return {
    url,
    handle: (req, res) =>
      handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      }),
    sessions: () => sessions.size,
    close: () => sessions.close(),
  };
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
