// A small Redis client: one connection (TCP or TLS) speaking RESP2, commands pipelined (those of one event-loop
// turn in one write) and their replies matched in order, a bound on every command, and reconnection with backoff
// for as long as the client is open.
// What it never does is send a command twice: one already written when the connection drops fails.
import { createHash } from 'node:crypto';
import { type Socket, connect as connectTcp, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { ReplyError, RespParser, type RespValue, encodeCommand } from './resp.js';

export interface RespClientOptions {
  /** Bound on one connection attempt: TCP, TLS, AUTH, SELECT, CLIENT SETNAME (and re-SUBSCRIBE). */
  connectTimeoutMs: number;
  /** A command without a reply by then fails (its late reply, if any, is read and dropped). */
  commandTimeoutMs: number;
  /** Set with CLIENT SETNAME on every connection, so CLIENT LIST shows who holds it. */
  connectionName?: string;
  /** Wait before reconnect attempt n (1, 2, …). Default min(n × 100, 2000) ms. */
  retryDelayMs?: (attempt: number) => number;
  /** A connection carrying SUBSCRIBE: `message` pushes go to onMessage instead of answering a command. */
  subscriber?: boolean;
  onMessage?: (channel: string, message: string) => void;
  /** Once per outage: a ready connection was lost (reconnection starts). */
  onLost?: (reason: Error) => void;
  /** The connection is ready again after onLost. */
  onRestored?: () => void;
}

/** A Lua script sent by its SHA1 (EVALSHA), and in full (EVAL) when the server does not have it cached. */
export class LuaScript {
  readonly sha1: string;
  constructor(readonly lua: string) {
    this.sha1 = createHash('sha1').update(lua).digest('hex');
  }
}

interface Pending {
  resolve(value: RespValue): void;
  reject(error: Error): void;
  settled: boolean;
  timer?: NodeJS.Timeout;
}

type State = 'new' | 'connecting' | 'ready' | 'waiting' | 'closed';

export class RespClient {
  private state: State = 'new';
  private socket?: Socket;
  /** Written on the current connection, awaiting their replies in order. */
  private sent: Pending[] = [];
  /** Issued while not ready: written when the next attempt succeeds, failed when it does not. */
  private offline: Array<{ args: Array<string | number>; pending: Pending }> = [];
  private readonly channels = new Set<string>();
  private attempt = 0;
  private down = false;
  private retryTimer?: NodeJS.Timeout;
  /** The socket held corked until the end of this turn of the event loop, if any. */
  private corked?: Socket;
  private first?: { resolve(): void; reject(error: Error): void };
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly url: URL,
    private readonly options: RespClientOptions,
  ) {
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port || 6379);
  }

  /** Resolves when the first connection is ready; rejects (and closes the client) when that attempt fails. */
  connect(): Promise<void> {
    if (this.state !== 'new') return Promise.reject(new Error('connect() was already called'));
    return new Promise((resolve, reject) => {
      this.first = { resolve, reject };
      this.open();
    });
  }

  /** Sends one command; rejects with a ReplyError for an error reply, or an Error when there is no reply. */
  call(...args: Array<string | number>): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      if (this.state === 'closed') return reject(new Error('the connection is closed'));
      const pending = this.pending(resolve, reject, this.options.commandTimeoutMs);
      if (this.state === 'ready') this.write(args, pending);
      else this.offline.push({ args, pending });
    });
  }

  async evalScript(script: LuaScript, keys: string[], args: Array<string | number>): Promise<RespValue> {
    try {
      return await this.call('EVALSHA', script.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      // NOSCRIPT: the script did not run (a restart or SCRIPT FLUSH emptied the cache), so sending it in full is safe.
      if (!(error instanceof ReplyError && error.message.startsWith('NOSCRIPT'))) throw error;
      return this.call('EVAL', script.lua, keys.length, ...keys, ...args);
    }
  }

  /** Subscribes now and again on every reconnection, until unsubscribe. */
  async subscribe(channel: string): Promise<void> {
    this.channels.add(channel);
    try {
      await this.call('SUBSCRIBE', channel);
    } catch (error) {
      this.channels.delete(channel);
      throw error;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    this.channels.delete(channel);
    await this.call('UNSUBSCRIBE', channel);
  }

  /** QUIT when connected (bounded by commandTimeoutMs), then closes; commands not yet sent fail. */
  quit(): Promise<void> {
    return this.close(true);
  }

  /** Closes at once; commands awaiting a reply fail. */
  disconnect(): Promise<void> {
    return this.close(false);
  }

  private async close(polite: boolean): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    const closed = new Error('the connection is closed');
    this.failOffline(closed);
    this.first?.reject(closed);
    this.first = undefined;
    const socket = this.socket;
    if (!socket) return;
    if (polite && wasReady) {
      await new Promise((done) => this.write(['QUIT'], this.pending(done, done, this.options.commandTimeoutMs)));
    }
    if (this.socket !== socket) return;
    const gone = new Promise((resolve) => socket.once('close', resolve));
    socket.destroy();
    await gone;
  }

  private open(): void {
    this.state = 'connecting';
    const { host, port } = this;
    const tls = this.url.protocol === 'rediss:';
    const socket = tls ? connectTls({ host, port, servername: isIP(host) ? undefined : host }) : connectTcp({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    // A peer that vanished without closing (a dropped NAT entry, a dead host) is found and the client reconnects.
    socket.setKeepAlive(true, 30_000);
    const parser = new RespParser();
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      socket.destroy();
    };
    const attemptTimer = setTimeout(() => fail(new Error(`no answer within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      this.handshake().then(() => {
        clearTimeout(attemptTimer);
        if (this.socket === socket && this.state === 'connecting') this.ready();
      }, fail);
    });
    socket.on('data', (chunk: Buffer) => {
      let replies: RespValue[];
      try {
        replies = parser.feed(chunk);
      } catch (error) {
        return fail(error as Error);
      }
      for (const reply of replies) if (!this.dispatch(reply)) return fail(new Error('Redis sent a reply nobody asked for'));
    });
    socket.on('error', (error) => (failure ??= error));
    socket.on('close', () => {
      clearTimeout(attemptTimer);
      this.lost(socket, failure ?? new Error('the server closed the connection'));
    });
  }

  /** AUTH, CLIENT SETNAME, SELECT and the subscriptions, pipelined; the first failure explains the rest. */
  private async handshake(): Promise<void> {
    const steps: Array<Array<string | number>> = [];
    const password = decodeURIComponent(this.url.password);
    const username = decodeURIComponent(this.url.username);
    if (password) steps.push(username ? ['AUTH', username, password] : ['AUTH', password]);
    if (this.options.connectionName) steps.push(['CLIENT', 'SETNAME', this.options.connectionName]);
    const db = this.url.pathname.slice(1);
    if (db) steps.push(['SELECT', db]);
    for (const channel of this.channels) steps.push(['SUBSCRIBE', channel]);
    // Bounded by the attempt's timer, not by commandTimeoutMs.
    const replies = steps.map((args) => new Promise<RespValue>((resolve, reject) => this.write(args, this.pending(resolve, reject))));
    const outcomes = await Promise.allSettled(replies);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    if (refused) throw refused.reason;
  }

  private ready(): void {
    this.state = 'ready';
    this.attempt = 0;
    this.first?.resolve();
    this.first = undefined;
    if (this.down) {
      this.down = false;
      this.options.onRestored?.();
    }
    const queued = this.offline;
    this.offline = [];
    for (const { args, pending } of queued) if (!pending.settled) this.write(args, pending);
  }

  /** False for a reply that answers nothing (the stream is out of step). */
  private dispatch(reply: RespValue): boolean {
    if (this.options.subscriber && Array.isArray(reply) && reply[0] === 'message' && reply.length === 3) {
      this.options.onMessage?.(String(reply[1]), String(reply[2]));
      return true;
    }
    const pending = this.sent.shift();
    if (!pending) return false;
    if (reply instanceof ReplyError) settle(pending, reply);
    else settle(pending, undefined, reply);
    return true;
  }

  private lost(socket: Socket, reason: Error): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    const inFlight = this.sent;
    this.sent = [];
    // Never re-sent: the command may have run (a window take or a take must not run twice).
    for (const pending of inFlight) settle(pending, new Error(`the connection was lost before Redis replied (${reason.message}); the command was not retried`));
    this.failOffline(reason);
    if (this.state === 'closed') return;
    if (this.first) {
      this.state = 'closed';
      this.first.reject(reason);
      this.first = undefined;
      return;
    }
    if (!this.down) {
      this.down = true;
      this.options.onLost?.(reason);
    }
    this.state = 'waiting';
    this.attempt += 1;
    const delay = (this.options.retryDelayMs ?? ((attempt) => Math.min(attempt * 100, 2_000)))(this.attempt);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private failOffline(reason: Error): void {
    const queued = this.offline;
    this.offline = [];
    for (const { pending } of queued) settle(pending, reason);
  }

  private write(args: Array<string | number>, pending: Pending): void {
    this.sent.push(pending);
    const socket = this.socket!;
    // Commands issued in one turn of the event loop leave in one write: under load (many sessions reading state
    // at once) that is one system call for many commands instead of one each.
    if (this.corked !== socket) {
      this.corked = socket;
      socket.cork();
      setImmediate(() => {
        if (this.corked === socket) this.corked = undefined;
        socket.uncork();
      });
    }
    socket.write(encodeCommand(args));
  }

  private pending(resolve: (value: RespValue) => void, reject: (error: Error) => void, timeoutMs?: number): Pending {
    const pending: Pending = { resolve, reject, settled: false };
    // A timed-out command keeps its place in `sent`, so a late reply is matched to it and dropped.
    if (timeoutMs !== undefined) pending.timer = setTimeout(() => settle(pending, new Error('Command timed out')), timeoutMs);
    return pending;
  }
}

function settle(pending: Pending, error: Error | undefined, value?: RespValue): void {
  if (pending.settled) return;
  pending.settled = true;
  clearTimeout(pending.timer);
  if (error) pending.reject(error);
  else pending.resolve(value ?? null);
}
