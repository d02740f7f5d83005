// SharedState on Redis (SINCH_REDIS_URL), so several server instances share one state. Loaded with a dynamic
// import only when that variable is set (src/state/index.ts), so the stdio default never loads the client.
import { randomUUID } from 'node:crypto';
import { logLine } from '../support/log.js';
import { RedisStateError, SharedStateClosedError } from './errors.js';
import { checkWindow, ttlOf } from './limits.js';
import { notifyListeners } from './notify.js';
import { checkRedisUrl, describeRedisUrl } from './redis-url.js';
import { LuaScript, RespClient, type RespClientOptions } from './resp-client.js';
import type { RespValue } from './resp.js';
import type { SharedState } from './shared.js';

export interface RedisStateOptions {
  /** Put in front of every key and channel, so deployments can share one Redis. Default `sinch-mcp:`. */
  prefix?: string;
  /** Bound on reaching Redis at start (TCP, TLS, AUTH, ready). Default 5000. */
  connectTimeoutMs?: number;
  /** A command without a reply by then fails instead of waiting forever. Default 5000. */
  commandTimeoutMs?: number;
  /** Where connection loss and recovery are reported. Default: stderr (logLine). */
  log?: (line: string) => void;
  /** Wait before reconnect attempt n (1, 2, …). Default min(n × 100, 2000) ms. */
  reconnectDelayMs?: (attempt: number) => number;
  /** The command connection is ready again after an outage; called before anything queued meanwhile is sent. */
  onRestored?: () => void;
}

// One window = one sorted set of event times. Removing what left the window, counting and adding run as one
// script, so instances racing for the last slot cannot both get it.
// KEYS[1] window; ARGV: cutoff (events at or before it have left), now, limit, a unique member, windowMs.
const WINDOW_TAKE = new LuaScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or false}`);

// KEYS[1] window; ARGV[1] cutoff. Counts without recording or removing anything.
const WINDOW_COUNT = new LuaScript(`
local count = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {count, oldest[2] or false}`);

interface Channel {
  listeners: Set<{ listener: (message: string) => void }>;
  subscribed: Promise<unknown>;
}

export class RedisState implements SharedState {
  /** Connects (and fails with a RedisStateError within connectTimeoutMs when Redis cannot be reached). */
  static async connect(redisUrl: string, options: RedisStateOptions = {}): Promise<RedisState> {
    const url = checkRedisUrl(redisUrl);
    const where = describeRedisUrl(url);
    const log = options.log ?? logLine;
    const clientOptions: RespClientOptions = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
      connectionName: 'sinch-calling-mcp',
      retryDelayMs: options.reconnectDelayMs,
      // One line when a connection is lost and one when it is back, not one per reconnect attempt.
      onLost: (reason) => log(`lost the connection to Redis at ${where} (${reason.message}); reconnecting`),
      onRestored: () => log(`connection to Redis at ${where} restored`),
    };
    // Only the command connection reports back (state/loss.ts reads its marker there, ahead of queued commands).
    const restored = () => {
      clientOptions.onRestored?.();
      options.onRestored?.();
    };
    const client = await connected(new RespClient(url, { ...clientOptions, onRestored: restored }), where);
    return new RedisState(client, options.prefix ?? 'sinch-mcp:', where, log, (onMessage) => new RespClient(url, { ...clientOptions, subscriber: true, onMessage }));
  }

  private readonly channels = new Map<string, Channel>();
  private subscriber?: Promise<RespClient>;
  private closed = false;

  private constructor(
    private readonly client: RespClient,
    private readonly prefix: string,
    private readonly where: string,
    private readonly log: (line: string) => void,
    private readonly subscriberClient: (onMessage: (channel: string, message: string) => void) => RespClient,
  ) {}

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = ttlOf(ttlMs);
    return (await this.run('SET NX', () => this.client.call('SET', this.prefix + key, value, 'PX', ttl, 'NX'))) === 'OK';
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = ttlOf(ttlMs);
    await this.run('SET', () => this.client.call('SET', this.prefix + key, value, 'PX', ttl));
  }

  async get(key: string): Promise<string | undefined> {
    return text(await this.run('GET', () => this.client.call('GET', this.prefix + key)));
  }

  async take(key: string): Promise<string | undefined> {
    // GETDEL needs Redis 6.2 (Debian bookworm ships 7.0).
    return text(await this.run('GETDEL', () => this.client.call('GETDEL', this.prefix + key)));
  }

  async delete(key: string): Promise<void> {
    await this.run('DEL', () => this.client.call('DEL', this.prefix + key));
  }

  async windowTake(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; count: number; oldestAt?: number }> {
    checkWindow(limit, windowMs, now);
    const member = `${now}:${randomUUID()}`;
    const reply = await this.run('window take', () =>
      this.client.evalScript(WINDOW_TAKE, [this.prefix + key], [now - windowMs, now, limit, member, Math.ceil(windowMs)]),
    );
    const [allowed, count, oldestAt] = reply as [number, number, string | null];
    return { allowed: allowed === 1, count, ...oldest(oldestAt) };
  }

  async windowCount(key: string, windowMs: number, now: number): Promise<{ count: number; oldestAt?: number }> {
    checkWindow(undefined, windowMs, now);
    const reply = await this.run('window count', () => this.client.evalScript(WINDOW_COUNT, [this.prefix + key], [now - windowMs]));
    const [count, oldestAt] = reply as [number, string | null];
    return { count, ...oldest(oldestAt) };
  }

  async next(key: string): Promise<number> {
    return Number(await this.run('INCR', () => this.client.call('INCR', this.prefix + key)));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run('PUBLISH', () => this.client.call('PUBLISH', this.prefix + channel, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    const name = this.prefix + channel;
    let entry = this.channels.get(name);
    if (!entry) {
      // The first local listener subscribes the connection; later ones share that subscription.
      const created: Channel = { listeners: new Set(), subscribed: this.run('SUBSCRIBE', async () => (await this.subscriberConnection()).subscribe(name)) };
      created.subscribed.catch(() => {});
      this.channels.set(name, (entry = created));
    }
    const subscription = { listener };
    entry.listeners.add(subscription);
    const leave = (): boolean => {
      const last = entry.listeners.delete(subscription) && entry.listeners.size === 0 && this.channels.get(name) === entry;
      if (last) this.channels.delete(name);
      return last;
    };
    try {
      await entry.subscribed;
    } catch (error) {
      leave();
      throw error;
    }
    return async () => {
      if (leave() && !this.closed) await this.run('UNSUBSCRIBE', async () => (await this.subscriberConnection()).unsubscribe(name));
    };
  }

  /** Quits both connections (the subscriber's only if one was opened); further calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    const subscriber = this.subscriber?.catch(() => undefined);
    await Promise.all([this.client.quit(), subscriber?.then((connection) => connection?.quit())]);
  }

  /** Pub/sub needs a connection of its own; one per RedisState carries every channel it listens to. */
  private subscriberConnection(): Promise<RespClient> {
    if (!this.subscriber) {
      const attempt = connected(
        this.subscriberClient((name, message) => this.deliver(name, message)),
        this.where,
      );
      this.subscriber = attempt;
      // A failed attempt is not kept: the next subscribe tries again.
      attempt.catch(() => {
        if (this.subscriber === attempt) this.subscriber = undefined;
      });
    }
    return this.subscriber;
  }

  private deliver(name: string, message: string): void {
    const listeners = [...(this.channels.get(name)?.listeners ?? [])].map(({ listener }) => listener);
    notifyListeners(listeners, name.slice(this.prefix.length), message, this.log);
  }

  private async run<T>(command: string, send: () => Promise<T>): Promise<T> {
    if (this.closed) throw new SharedStateClosedError();
    try {
      return await send();
    } catch (error) {
      if (error instanceof RedisStateError) throw error;
      throw new RedisStateError(`shared state on Redis (SINCH_REDIS_URL ${this.where}): ${command} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** The client once connected, or a RedisStateError naming SINCH_REDIS_URL (host and port only) and the reason. */
async function connected(client: RespClient, where: string): Promise<RespClient> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    const reason = (error as Error).message;
    throw new RedisStateError(`SINCH_REDIS_URL: cannot connect to Redis at ${where} (${reason}); check the URL, the password and that Redis is running and reachable.`);
  }
}

function text(reply: RespValue): string | undefined {
  return reply === null ? undefined : String(reply);
}

function oldest(score: RespValue): { oldestAt?: number } {
  return score === null ? {} : { oldestAt: Number(score) };
}
