// SharedState on Redis (SINCH_REDIS_URL), so several server instances share one state. Loaded with a dynamic
// import only when that variable is set (src/state/index.ts), so the stdio default never loads the client.
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { logLine } from '../log.js';
import { RedisStateError, SharedStateClosedError } from './errors.js';
import { checkWindow, ttlOf } from './limits.js';
import { notifyListeners } from './notify.js';
import { checkRedisUrl, describeRedisUrl } from './redis-url.js';
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
}

// One window = one sorted set of event times. Removing what left the window, counting and adding run as one
// script, so instances racing for the last slot cannot both get it.
// KEYS[1] window; ARGV: cutoff (events at or before it have left), now, limit, a unique member, windowMs.
const WINDOW_TAKE = `
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
return {allowed, count, oldest[2] or false}`;

// KEYS[1] window; ARGV[1] cutoff. Counts without recording or removing anything.
const WINDOW_COUNT = `
local count = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {count, oldest[2] or false}`;

interface WindowScripts {
  windowTake(key: string, cutoff: string, now: string, limit: string, member: string, windowMs: string): Promise<[number, number, string | null]>;
  windowCount(key: string, cutoff: string): Promise<[number, string | null]>;
}

type Client = Redis & WindowScripts;

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
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const client = new Redis(redisUrl, clientOptions(connectTimeoutMs, options.commandTimeoutMs ?? 5_000)) as Client;
    await ready(client, where, connectTimeoutMs);
    reportOutages(client, where, log);
    return new RedisState(client, options.prefix ?? 'sinch-mcp:', where, connectTimeoutMs, log);
  }

  private readonly channels = new Map<string, Channel>();
  private subscriber?: Promise<Redis>;
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly where: string,
    private readonly connectTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = ttlOf(ttlMs);
    return (await this.run('SET NX', () => this.client.set(this.prefix + key, value, 'PX', ttl, 'NX'))) === 'OK';
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const ttl = ttlOf(ttlMs);
    await this.run('SET', () => this.client.set(this.prefix + key, value, 'PX', ttl));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run('GET', () => this.client.get(this.prefix + key))) ?? undefined;
  }

  async take(key: string): Promise<string | undefined> {
    // GETDEL needs Redis 6.2 (Debian bookworm ships 7.0).
    return (await this.run('GETDEL', () => this.client.getdel(this.prefix + key))) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.run('DEL', () => this.client.del(this.prefix + key));
  }

  async windowTake(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; count: number; oldestAt?: number }> {
    checkWindow(limit, windowMs, now);
    const member = `${now}:${randomUUID()}`;
    const [allowed, count, oldestAt] = await this.run('window take', () =>
      this.client.windowTake(this.prefix + key, String(now - windowMs), String(now), String(limit), member, String(Math.ceil(windowMs))),
    );
    return { allowed: allowed === 1, count, ...oldest(oldestAt) };
  }

  async windowCount(key: string, windowMs: number, now: number): Promise<{ count: number; oldestAt?: number }> {
    checkWindow(undefined, windowMs, now);
    const [count, oldestAt] = await this.run('window count', () => this.client.windowCount(this.prefix + key, String(now - windowMs)));
    return { count, ...oldest(oldestAt) };
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run('PUBLISH', () => this.client.publish(this.prefix + channel, message));
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
    await Promise.all([quit(this.client), subscriber?.then((connection) => connection && quit(connection))]);
  }

  /** Pub/sub needs a connection of its own; one per RedisState carries every channel it listens to. */
  private subscriberConnection(): Promise<Redis> {
    if (!this.subscriber) {
      const attempt = (async () => {
        const connection = this.client.duplicate();
        await ready(connection, this.where, this.connectTimeoutMs);
        reportOutages(connection, this.where, this.log);
        connection.on('message', (name: string, message: string) => this.deliver(name, message));
        return connection;
      })();
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

function clientOptions(connectTimeoutMs: number, commandTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    // Commands issued while disconnected wait in the offline queue until the next reconnect attempt; a command
    // already sent when the connection drops fails rather than being sent twice (a window take or a take must
    // not run twice). Either way the caller gets an error, never a hang.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    connectionName: 'sinch-calling-mcp',
    scripts: {
      windowTake: { lua: WINDOW_TAKE, numberOfKeys: 1 },
      windowCount: { lua: WINDOW_COUNT, numberOfKeys: 1, readOnly: true },
    },
  };
}

/** Connects, or throws a RedisStateError naming SINCH_REDIS_URL (host and port only) and the reason. */
async function ready(client: Redis, where: string, timeoutMs: number): Promise<void> {
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  client.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), timedOut]);
  } catch (error) {
    client.disconnect();
    // ioredis rejects with a generic "Connection is closed"; the error event before it says why (ECONNREFUSED, WRONGPASS…).
    const reason = (lastError ?? (error as Error)).message;
    throw new RedisStateError(`SINCH_REDIS_URL: cannot connect to Redis at ${where} (${reason}); check the URL, the password and that Redis is running and reachable.`);
  } finally {
    clearTimeout(timer);
    client.off('error', remember);
  }
}

/** One line when a connection is lost and one when it is back, not one per reconnect attempt. */
function reportOutages(client: Redis, where: string, log: (line: string) => void): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log(`lost the connection to Redis at ${where} (${error.message}); reconnecting`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log(`connection to Redis at ${where} restored`);
  });
}

async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

function oldest(score: string | null): { oldestAt?: number } {
  return score === null ? {} : { oldestAt: Number(score) };
}
