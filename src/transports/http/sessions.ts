// The MCP sessions of the HTTP edge: each bound to the subject that opened it, capped in number (overall and
// per subject), and closed when idle, so abandoned sessions cannot fill the table.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Caller } from './auth.js';
import { MAX_SESSIONS } from './capacity.js';

export interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  subject: string;
  lastSeen: number;
}

export interface SessionLimits {
  /** Sessions open at once (default 1 000). */
  maxSessions: number;
  /** One subject's sessions; past it, its oldest idle session makes room (default 20). */
  perSubject: number;
  /** A session nobody used for this long is closed (default 30 minutes)... */
  idleMs: number;
  /** ...checked this often (default 1 minute). */
  sweepEveryMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: MAX_SESSIONS, perSubject: 20, idleMs: 30 * 60_000, sweepEveryMs: 60_000 };

export class Sessions {
  private readonly open = new Map<string, Session>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly newServer: (caller: Caller) => McpServer,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.sweep = setInterval(() => this.closeIdle(), limits.sweepEveryMs).unref();
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * The session with this id, seen now; 'unknown' when there is none, 'foreign' when another subject opened it
   * (another caller's token cannot ride on it, nor keep it from expiring).
   */
  use(id: string, subject: string): Session | 'unknown' | 'foreign' {
    const session = this.open.get(id);
    if (!session) return 'unknown';
    if (session.subject !== subject) return 'foreign';
    session.lastSeen = this.now();
    return session;
  }

  full(): boolean {
    return this.open.size >= this.limits.maxSessions;
  }

  /** A new session for this caller, connected and ready for its initialize request; it joins the table once initialized. */
  async start(caller: Caller): Promise<StreamableHTTPServerTransport> {
    this.makeRoomFor(caller.subject);
    const server = this.newServer(caller);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.open.set(id, { transport, server, subject: caller.subject, lastSeen: this.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.open.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.allSettled([...this.open.values()].map((session) => session.server.close()));
  }

  /** One caller cannot take every session: past its own cap, its oldest idle session makes room. */
  private makeRoomFor(subject: string): void {
    const own = [...this.open.entries()].filter(([, session]) => session.subject === subject).sort(([, x], [, y]) => x.lastSeen - y.lastSeen);
    if (own.length < this.limits.perSubject) return;
    const [oldestId, oldest] = own[0]!;
    this.open.delete(oldestId);
    void oldest.server.close().catch(() => undefined);
  }

  private closeIdle(): void {
    const idleSince = this.now() - this.limits.idleMs;
    for (const [id, session] of this.open) {
      if (session.lastSeen < idleSince) {
        this.open.delete(id);
        void session.server.close().catch(() => undefined);
      }
    }
  }
}
