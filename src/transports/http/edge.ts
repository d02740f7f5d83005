// The remote edge: one HTTP server, one port, for a team. MCP Streamable HTTP at /mcp (every request
// authenticated, each session bound to the subject that opened it), the protected-resource metadata, and
// mounted handlers for the callback receiver and the approval pages. Host and Origin are checked first.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { BodyTooLargeError, hardenServer, headerValue, readBody } from '../../support/http-request.js';
import { type Authenticator, type Caller, SCOPES } from './auth.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface EdgeOptions {
  host: string;
  port: number;
  /** The URL clients use for /mcp (behind a proxy: the public one); names the protected resource. */
  publicUrl?: string;
  /**
   * Host header values accepted (against DNS rebinding). Default: the bound address and localhost with its
   * port. An empty list accepts any (only behind a proxy that checks Host itself).
   */
  allowedHosts?: string[];
  /** Origin header values accepted on /mcp when a browser sends one. */
  allowedOrigins: string[];
  auth: Authenticator;
  /** A new MCP server for a new session of this caller. */
  newSession(caller: Caller): McpServer;
  /** Other routes on the same port, by path prefix (the receiver, the approval pages). */
  mounts?: Array<{ prefix: string; handle: Handler }>;
  maxSessions?: number;
  maxBodyBytes?: number;
}

export interface Edge {
  url: string;
  sessions(): number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  subject: string;
  lastSeen: number;
}

/** A session nobody used for this long is closed, so abandoned sessions cannot fill the table. */
const SESSION_IDLE_MS = 30 * 60_000;
const SESSIONS_PER_SUBJECT = 20;

const METADATA_PATH = '/.well-known/oauth-protected-resource';

export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const sessions = new Map<string, Session>();
  const maxSessions = options.maxSessions ?? 1_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  // requestTimeout bounds only how long receiving a request may take (a slow body cannot hold a connection);
  // the answer, e.g. MCP's GET stream or a tool call waiting for a person, may still take as long as it needs.
  const server: Server = hardenServer(createServer(), { maxConnections: 1_024, requestTimeoutMs: 30_000 });

  let resourceUrl = '';
  let allowedHosts: string[] = [];
  const metadataUrl = () => `${new URL(resourceUrl).origin}${METADATA_PATH}`;

  const challenge = (res: ServerResponse, status: 401 | 403, error: string, description: string, scope?: string) => {
    const parts = [`resource_metadata="${metadataUrl()}"`, `error="${error}"`, `error_description="${description.replace(/"/g, "'")}"`];
    if (scope) parts.push(`scope="${scope}"`);
    json(res, status, { error, error_description: description }, { 'www-authenticate': `Bearer ${parts.join(', ')}` });
  };

  async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = headerValue(req, 'origin');
    if (origin !== undefined && !options.allowedOrigins.includes(origin)) return json(res, 403, { error: 'origin not allowed' });
    const header = headerValue(req, 'authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const auth = await options.auth.authenticate(token);
    if (!auth.ok) return challenge(res, 401, auth.error, auth.description, SCOPES.join(' '));
    const { caller } = auth;
    if (caller.scopes.length === 0) return challenge(res, 403, 'insufficient_scope', 'the token carries none of the sinch:* scopes', SCOPES.join(' '));

    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req, maxBodyBytes));
      } catch (error) {
        return json(res, error instanceof BodyTooLargeError ? 413 : 400, { jsonrpc: '2.0', error: { code: -32700, message: error instanceof BodyTooLargeError ? 'request too large' : 'parse error' }, id: null });
      }
    }
    // The SDK hands this to every handler as extra.authInfo: scopes are checked on each call.
    (req as IncomingMessage & { auth?: unknown }).auth = { token: token!, clientId: caller.subject, scopes: caller.scopes, extra: { subject: caller.subject } };

    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return json(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'session not found; initialize again' }, id: null });
      // A session belongs to whoever opened it: another subject's token cannot ride on it.
      if (session.subject !== caller.subject) return json(res, 403, { jsonrpc: '2.0', error: { code: -32003, message: 'this session belongs to another caller' }, id: null });
      session.lastSeen = Date.now();
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return json(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'no session: send initialize first (without Mcp-Session-Id)' }, id: null });
    }
    if (sessions.size >= maxSessions) return json(res, 503, { jsonrpc: '2.0', error: { code: -32000, message: 'too many sessions' }, id: null });
    // One caller cannot take every session: past its own cap, its oldest idle session makes room.
    const own = [...sessions.entries()].filter(([, session]) => session.subject === caller.subject).sort(([, x], [, y]) => x.lastSeen - y.lastSeen);
    if (own.length >= SESSIONS_PER_SUBJECT) {
      const [oldestId, oldest] = own[0]!;
      sessions.delete(oldestId);
      void oldest.server.close().catch(() => undefined);
    }
    const mcp = options.newSession(caller);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server: mcp, subject: caller.subject, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await mcp.connect(transport);
    return transport.handleRequest(req, res, body);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = async () => {
      const host = headerValue(req, 'host') ?? '';
      if (allowedHosts.length && !allowedHosts.includes(host)) return json(res, 421, { error: 'host not allowed' });
      const path = new URL(req.url ?? '/', 'http://edge').pathname;
      if (path === '/mcp') return handleMcp(req, res);
      if (path === METADATA_PATH || path === `${METADATA_PATH}/mcp`) {
        return json(res, 200, {
          resource: resourceUrl,
          authorization_servers: options.auth.authorizationServers,
          scopes_supported: [...SCOPES],
          bearer_methods_supported: ['header'],
          resource_name: 'Sinch Calling MCP',
        });
      }
      const mount = options.mounts?.find((m) => path.startsWith(m.prefix));
      if (mount) return mount.handle(req, res);
      return json(res, 404, { error: 'not found' });
    };
    route().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    });
  });

  const sweep = setInterval(() => {
    const idleSince = Date.now() - SESSION_IDLE_MS;
    for (const [id, session] of sessions) {
      if (session.lastSeen < idleSince) {
        sessions.delete(id);
        void session.server.close().catch(() => undefined);
      }
    }
  }, 60_000);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}/mcp`;
  resourceUrl = options.publicUrl ?? url;
  allowedHosts = options.allowedHosts ?? [`${hostPart}:${address.port}`, `localhost:${address.port}`, ...(options.publicUrl ? [new URL(options.publicUrl).host] : [])];
  return {
    url,
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweep);
      await Promise.allSettled([...sessions.values()].map((session) => session.server.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}
