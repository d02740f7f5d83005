// RedisState's own Redis client against real redis-server processes: how it authenticates and selects a
// database, and what happens to commands when the server forgets its scripts, stops answering, dies and comes back.
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStateError } from '../../src/state/index.js';
import { RedisState } from '../../src/state/redis.js';
import { bundleStateScript } from '../helpers/bundled-state.js';
import { type RedisServer, type RedisServerOptions, TLS_CERTIFICATE, startRedisServer } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

const servers = new Set<RedisServer>();
const states = new Set<RedisState>();
afterEach(async () => {
  await Promise.all([...states].map((state) => state.close()));
  states.clear();
  await Promise.all([...servers].map((server) => server.stop()));
  servers.clear();
});

async function server(options: RedisServerOptions = {}): Promise<RedisServer> {
  const started = await startRedisServer(options);
  servers.add(started);
  return started;
}

async function connect(url: string, options: Parameters<typeof RedisState.connect>[1] = {}): Promise<RedisState> {
  const state = await RedisState.connect(url, options);
  states.add(state);
  return state;
}

/** The CLIENT LIST lines of RedisState's connections (they name themselves sinch-calling-mcp). */
async function ourConnections(redis: RedisServer): Promise<string[]> {
  return (await redis.cli('CLIENT', 'LIST')).split('\n').filter((line) => line.includes(' name=sinch-calling-mcp '));
}

describe('connecting', () => {
  it('authenticates as an ACL user (AUTH user password) and refuses a wrong one without echoing it', async () => {
    const redis = await server({ password: 'admin-password' });
    await redis.cli('ACL', 'SETUSER', 'ops', 'on', '>ops-pa55', '~*', '&*', '+@all');
    const url = `redis://ops:ops-pa55@127.0.0.1:${redis.port}`;
    const state = await connect(url);
    await state.set('k', 'as ops', 10_000);
    expect(await redis.cli('GET', 'sinch-mcp:k')).toBe('as ops');
    expect(await ourConnections(redis)).toEqual([expect.stringContaining(' user=ops ')]);

    const failure = await RedisState.connect(url.replace('ops-pa55', 'not-the-pa55'), { connectTimeoutMs: 3_000 }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(RedisStateError);
    expect((failure as Error).message).toMatch(/^SINCH_REDIS_URL: cannot connect to Redis at redis:\/\/ops@127\.0\.0\.1:\d+ \(password hidden\) \(WRONGPASS/);
    expect((failure as Error).message).not.toMatch(/pa55/);
  });

  it('works in the database the URL names (SELECT), leaving database 0 alone', async () => {
    const redis = await server();
    const state = await connect(`redis://127.0.0.1:${redis.port}/3`);
    await state.set('k', 'in db 3', 10_000);
    expect(await redis.cli('-n', '3', 'GET', 'sinch-mcp:k')).toBe('in db 3');
    expect(await redis.cli('EXISTS', 'sinch-mcp:k')).toBe('0');
    expect(await ourConnections(redis)).toEqual([expect.stringContaining(' db=3 ')]);
  });

  it('a Redis that accepts but never answers a handshake fails the start with a clear reason, in time', async () => {
    const redis = await server();
    redis.pause();
    try {
      const started = Date.now();
      const failure = await RedisState.connect(redis.url, { connectTimeoutMs: 400 }).catch((error: Error) => error);
      expect((failure as Error).message).toMatch(/^SINCH_REDIS_URL: cannot connect to Redis at .*\(no answer within 400 ms\)/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      redis.resume();
    }
  });
});

describe('TLS (rediss://)', () => {
  it('connects over TLS, authenticated, when the certificate is trusted, and refuses one that is not', async () => {
    const redis = await server({ tls: true, password: 'tls-pa55' });
    expect(redis.url).toMatch(/^rediss:/);
    // This process does not trust the self-signed certificate: the connection must not be made.
    const failure = await RedisState.connect(redis.url, { connectTimeoutMs: 3_000 }).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/^SINCH_REDIS_URL: cannot connect to Redis at rediss:\/\/127\.0\.0\.1:\d+ \(password hidden\) \(self[- ]signed certificate/);
    expect((failure as Error).message).not.toMatch(/pa55/);

    // A process that trusts it (NODE_EXTRA_CA_CERTS is read at start, hence a process of its own).
    const script = await bundleStateScript([
      'const state = await createSharedState(process.argv[2], { prefix: "tls:" });',
      'await state.set("k", "over TLS", 10_000);',
      'console.log(await state.get("k"));',
      'await state.close();',
    ]);
    try {
      expect((await script.run([redis.url], { NODE_EXTRA_CA_CERTS: TLS_CERTIFICATE })).trim()).toBe('over TLS');
    } finally {
      script.remove();
    }
    expect(await redis.cli('GET', 'tls:k')).toBe('over TLS');
  });
});

describe('scripts', () => {
  it('sends window scripts by SHA1, and in full once after SCRIPT FLUSH emptied the cache (NOSCRIPT)', async () => {
    const redis = await server();
    const state = await connect(redis.url);
    const calls = async () => {
      const stats = await redis.cli('INFO', 'commandstats');
      const count = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      return { evalsha: count('evalsha'), eval: count('eval') };
    };
    const now = Date.now();
    expect(await state.windowTake('w', 5, 60_000, now)).toMatchObject({ allowed: true, count: 1 });
    expect(await state.windowTake('w', 5, 60_000, now + 1)).toMatchObject({ allowed: true, count: 2 });
    // First EVALSHA finds nothing and is followed by one EVAL, which caches the script; the second take uses the cache.
    expect(await calls()).toEqual({ evalsha: 2, eval: 1 });

    await redis.cli('SCRIPT', 'FLUSH');
    expect(await state.windowTake('w', 5, 60_000, now + 2)).toMatchObject({ allowed: true, count: 3 });
    expect(await state.windowCount('w', 60_000, now + 3)).toEqual({ count: 3, oldestAt: now });
    expect(await calls()).toEqual({ evalsha: 4, eval: 3 });
    expect(await redis.cli('ZCARD', 'sinch-mcp:w')).toBe('3');
  });
});

describe('pipelining', () => {
  it('commands issued in one turn of the event loop reach Redis in one read, each answered with its own reply', async () => {
    const redis = await server();
    const state = await connect(redis.url);
    for (let i = 0; i < 3; i++) await state.set(`k${i}`, `value ${i}`, 60_000);
    // Redis counts the read events it processed; redis-cli's own connection adds a few of its own.
    const reads = async () => Number(/total_reads_processed:(\d+)/.exec(await redis.cli('INFO', 'stats'))![1]);
    const before = await reads();
    const keys = Array.from({ length: 200 }, (_, i) => `k${i % 4}`);
    const values = await Promise.all(keys.map((key) => state.get(key)));
    const after = await reads();
    expect(values).toEqual(keys.map((key) => (key === 'k3' ? undefined : `value ${key.slice(1)}`)));
    // One write per command would be about 200 reads; one write for all of them is a handful.
    expect(after - before).toBeLessThan(20);
  });
});

describe('when Redis stops answering or goes away', () => {
  it('a command that times out does not shift the replies: its late reply is dropped, the next command gets its own', async () => {
    const redis = await server();
    const state = await connect(redis.url, { commandTimeoutMs: 300 });
    await state.set('a', 'value of a', 60_000);
    await state.set('b', 'value of b', 60_000);
    redis.pause();
    try {
      await expect(state.get('a')).rejects.toThrow(/GET failed: Command timed out/);
    } finally {
      redis.resume();
    }
    expect(await state.get('b')).toBe('value of b');
    expect(await state.get('a')).toBe('value of a');
  });

  it('a window take in flight when Redis dies fails at once and is not sent again; the client reconnects when Redis is back', async () => {
    const redis = await server();
    const lines: string[] = [];
    const state = await connect(redis.url, { commandTimeoutMs: 10_000, log: (line) => lines.push(line) });
    await state.windowTake('budget', 5, 60_000, Date.now());
    redis.pause();
    const started = Date.now();
    // windowTake writes the command before it returns; Redis, paused, holds it unanswered.
    const inFlight = state.windowTake('budget', 5, 60_000, Date.now()).catch((error: Error) => error);
    await redis.kill();
    const failure = await inFlight;
    expect((failure as Error).message).toMatch(/window take failed: the connection was lost before Redis replied \(.*\); the command was not retried/);
    expect(Date.now() - started).toBeLessThan(5_000); // the loss failed it, not the 10 s command timeout

    const restarted = await server({ port: redis.port });
    await until(async () => (await state.windowCount('budget', 60_000, Date.now()).catch(() => undefined))?.count === 0, {
      what: 'the client to reconnect and count 0',
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    // Count 0 on the new (empty) server: the take in flight was not re-sent on reconnection.
    expect(await restarted.cli('EXISTS', 'sinch-mcp:budget')).toBe('0');
    expect(await state.windowTake('budget', 5, 60_000, Date.now())).toMatchObject({ allowed: true, count: 1 });
    expect(lines.filter((line) => line.startsWith('lost the connection to Redis'))).toHaveLength(1);
    expect(lines.filter((line) => line.endsWith('restored'))).toHaveLength(1);
  });

  it('the subscriber connection subscribes again to its channels after Redis restarts', async () => {
    const redis = await server();
    const lines: string[] = [];
    const state = await connect(redis.url, { log: (line) => lines.push(line) });
    const heard: string[] = [];
    await state.subscribe('news', (message) => heard.push(message));
    const leaveOther = await state.subscribe('other', () => {});
    await leaveOther();
    await redis.stop();

    const restarted = await server({ port: redis.port });
    // PUBLISH answers how many connections received it: 1 once the subscriber is back.
    await until(async () => (await restarted.cli('PUBLISH', 'sinch-mcp:news', 'after the restart')) === '1', { what: 'the subscriber to be back', timeoutMs: 10_000, intervalMs: 200 });
    await until(() => heard.length > 0, { what: 'the message after the restart' });
    expect(heard).toEqual(['after the restart']);
    // Only the channels still listened to came back.
    expect(await restarted.cli('PUBSUB', 'CHANNELS')).toBe('sinch-mcp:news');
    await state.publish('news', 'from the state itself');
    await until(() => heard.length > 1, { what: 'the message from the state itself' });
    expect(heard).toEqual(['after the restart', 'from the state itself']);
    // Each of the two connections (commands, subscriber) reports its outage once.
    expect(lines.filter((line) => line.startsWith('lost the connection to Redis'))).toHaveLength(2);
  });

  it('close() during an outage returns promptly and stops reconnecting', async () => {
    const redis = await server();
    const lines: string[] = [];
    // Two states alike, reconnecting every 20 ms: one is closed during the outage, the other shows when a reconnect would have come.
    const state = await connect(redis.url, { log: (line) => lines.push(line), reconnectDelayMs: () => 20 });
    const control = await connect(redis.url, { log: () => {}, reconnectDelayMs: () => 20 });
    await state.subscribe('news', () => {});
    await control.subscribe('news', () => {});
    await redis.kill();
    // Both connections (commands, subscriber) know Redis is gone and are reconnecting.
    await until(() => lines.filter((line) => line.startsWith('lost the connection to Redis')).length === 2, { what: 'both connections to report the loss' });
    const started = Date.now();
    await state.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    // Nothing reconnects to a server started on the same port afterwards, though the control's two connections do.
    const restarted = await server({ port: redis.port });
    await until(async () => (await ourConnections(restarted)).length >= 2, { what: 'the control to reconnect both its connections', timeoutMs: 10_000 });
    await control.publish('news', 'a round trip after the control is back');
    expect(await ourConnections(restarted)).toHaveLength(2);
  });
});
