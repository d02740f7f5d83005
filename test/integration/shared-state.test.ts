// One contract for both SharedState implementations: what the approvals, tokens, the callout budget and call
// events are built on must behave the same in memory and on a real redis-server (two connections stand for two
// server instances).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryState } from '../../src/state/memory.js';
import { RedisState } from '../../src/state/redis.js';
import { MemoryState as ExportedMemoryState, RedisStateError, RedisUrlError, type SharedState, SharedStateClosedError, checkRedisUrl, createSharedState, describeRedisUrl } from '../../src/state/index.js';
import { bundleStateScript } from '../helpers/bundled-state.js';
import { type RedisServer, startRedisServer } from '../helpers/redis.js';
import { until } from '../helpers/until.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const opened = new Set<SharedState>();
afterEach(async () => {
  await Promise.all([...opened].map((state) => state.close()));
  opened.clear();
});

function track<T extends SharedState>(state: T): T {
  opened.add(state);
  return state;
}

interface Backend {
  name: string;
  /** Two views of one shared state: two Redis connections (two instances), or the one MemoryState twice. */
  pair(): Promise<[SharedState, SharedState]>;
}

const backends: Backend[] = [
  {
    name: 'memory',
    pair: async () => {
      const state = track(new MemoryState());
      return [state, state];
    },
  },
  {
    name: 'redis',
    pair: async () => {
      const prefix = `test-${randomUUID()}:`;
      return [track(await RedisState.connect(redis.url, { prefix })), track(await RedisState.connect(redis.url, { prefix }))];
    },
  },
];

describe.each(backends)('SharedState contract on $name', ({ pair }) => {
  it('reads back what was set, overwrites with set, and forgets on delete', async () => {
    const [a, b] = await pair();
    await a.set('k', 'one', 60_000);
    expect(await b.get('k')).toBe('one');
    await b.set('k', 'two', 60_000);
    expect(await a.get('k')).toBe('two');
    await a.delete('k');
    expect(await b.get('k')).toBeUndefined();
    expect(await b.get('never-set')).toBeUndefined();
  });

  it('expires a key after its TTL (not before): it reads as absent and can be claimed again', async () => {
    const [a, b] = await pair();
    // 'plain' first: it then expires no later than 'lease', whose expiry the test waits for.
    await a.set('plain', 'v', 800);
    const started = Date.now();
    expect(await a.setIfAbsent('lease', 'first', 800)).toBe(true);
    expect(await b.get('lease')).toBe('first');
    await until(async () => (await b.get('lease')) === undefined, { what: 'the lease to expire', intervalMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    expect(await b.take('plain')).toBeUndefined();
    expect(await b.setIfAbsent('lease', 'second', 60_000)).toBe(true);
    expect(await a.get('lease')).toBe('second');
  });

  it('setIfAbsent is atomic: of 50 parallel attempts from two instances exactly one wins, and its value stays', async () => {
    const [a, b] = await pair();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).setIfAbsent('claim', `attempt-${i}`, 60_000)));
    const winners = results.flatMap((won, i) => (won ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(await a.get('claim')).toBe(`attempt-${winners[0]}`);
  });

  it('take is single-use: of 30 parallel takes from two instances exactly one gets the value', async () => {
    const [a, b] = await pair();
    await a.set('token', 'secret-value', 60_000);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take('token')));
    expect(results.filter((value) => value === 'secret-value')).toHaveLength(1);
    expect(results.filter((value) => value === undefined)).toHaveLength(29);
    expect(await b.get('token')).toBeUndefined();
  });

  it('a window counts events newer than now - windowMs, refuses past the limit and frees slots as events age out', async () => {
    const [a, b] = await pair();
    const taken = [];
    for (const now of [1_000, 1_100, 1_200, 1_300]) taken.push(await a.windowTake('calls', 3, 1_000, now));
    expect(taken).toEqual([
      { allowed: true, count: 1, oldestAt: 1_000 },
      { allowed: true, count: 2, oldestAt: 1_000 },
      { allowed: true, count: 3, oldestAt: 1_000 },
      { allowed: false, count: 3, oldestAt: 1_000 },
    ]);
    // At 2000 the event at 1000 is exactly windowMs old: it has left the window.
    expect(await b.windowCount('calls', 1_000, 1_999)).toEqual({ count: 3, oldestAt: 1_000 });
    expect(await b.windowCount('calls', 1_000, 2_000)).toEqual({ count: 2, oldestAt: 1_100 });
    expect(await b.windowTake('calls', 3, 1_000, 2_000)).toEqual({ allowed: true, count: 3, oldestAt: 1_100 });
    expect(await a.windowCount('calls', 1_000, 5_000)).toEqual({ count: 0 });
    expect(await a.windowCount('empty', 1_000, 5_000)).toEqual({ count: 0 });
    // Several events in the same millisecond each count.
    const same = await Promise.all([1, 2].map(() => a.windowTake('same-ms', 5, 1_000, 7_000)));
    expect(same.map((result) => result.allowed)).toEqual([true, true]);
    expect(await b.windowCount('same-ms', 1_000, 7_000)).toEqual({ count: 2, oldestAt: 7_000 });
  });

  it('the window cap holds under 40 parallel takes from two instances: exactly 10 allowed', async () => {
    const [a, b] = await pair();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).windowTake('callouts', 10, 60_000, Date.now())));
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    expect(results.filter((result) => !result.allowed).every((result) => result.count === 10)).toBe(true);
    expect((await a.windowCount('callouts', 60_000, Date.now())).count).toBe(10);
  });

  it('publish reaches every subscriber on both instances, the publisher included, and nothing after unsubscribe', async () => {
    const [a, b] = await pair();
    const onA: string[] = [];
    const onB1: string[] = [];
    const onB2: string[] = [];
    const other: string[] = [];
    await a.subscribe('events', (message) => onA.push(message));
    const leaveB1 = await b.subscribe('events', (message) => onB1.push(message));
    await b.subscribe('events', (message) => onB2.push(message));
    await b.subscribe('other-channel', (message) => other.push(message));

    await a.publish('events', 'first');
    await until(() => [onA, onB1, onB2].every((heard) => heard.length > 0), { what: 'the first message on every listener' });
    expect([onA, onB1, onB2]).toEqual([['first'], ['first'], ['first']]);

    await leaveB1();
    await a.publish('events', 'second');
    await until(() => onA.length > 1 && onB2.length > 1, { what: 'the second message on the listeners still subscribed' });
    expect([onA, onB2]).toEqual([['first', 'second'], ['first', 'second']]);
    // An instance hands a message to all its listeners at once: had onB1 still been listening, it would have
    // heard 'second' together with onB2.
    expect(onB1).toEqual(['first']);
    expect(other).toEqual([]);
  });

  it('delivers asynchronously, never inside publish(), and a throwing listener does not stop the others', async () => {
    const [a] = await pair();
    const received: string[] = [];
    await a.subscribe('async', () => {
      throw new Error('listener failure');
    });
    await a.subscribe('async', (message) => received.push(message));
    const published = a.publish('async', 'hello');
    expect(received).toEqual([]);
    await published;
    await until(() => received.length > 0, { what: 'the message' });
    expect(received).toEqual(['hello']);
  });

  it('refuses bad TTLs and window arguments with a RangeError naming the argument', async () => {
    const [a] = await pair();
    await expect(a.set('k', 'v', 0)).rejects.toThrow(/ttlMs must be a positive number/);
    await expect(a.setIfAbsent('k', 'v', Number.NaN)).rejects.toThrow(RangeError);
    await expect(a.windowTake('w', -1, 1_000, Date.now())).rejects.toThrow(/limit must be a whole number/);
    await expect(a.windowTake('w', 1, 0, Date.now())).rejects.toThrow(/windowMs must be a positive number/);
    await expect(a.windowCount('w', 1_000, Number.POSITIVE_INFINITY)).rejects.toThrow(/now must be a finite timestamp/);
  });

  it('after close every call fails with SharedStateClosedError and subscribers hear nothing more', async () => {
    const [a] = await pair();
    const heard: string[] = [];
    await a.subscribe('closing', (message) => heard.push(message));
    await a.close();
    await expect(a.get('k')).rejects.toThrow(SharedStateClosedError);
    await expect(a.publish('closing', 'late')).rejects.toThrow(SharedStateClosedError);
    await expect(a.windowTake('w', 1, 1_000, Date.now())).rejects.toThrow(SharedStateClosedError);
    await a.close(); // idempotent
    expect(heard).toEqual([]);
  });
});

describe('MemoryState', () => {
  it('sweeps expired entries out on its timer, without anyone reading them', async () => {
    // Its clock and timer are faked: the sweep is the subject, not the wait.
    vi.useFakeTimers();
    const state = new MemoryState({ purgeIntervalMs: 50 });
    try {
      for (let i = 0; i < 10; i++) await state.set(`k${i}`, 'v', 30);
      await state.windowTake('w', 5, 30, Date.now());
      await state.set('kept', 'v', 60_000);
      expect(state.size).toBe(12);
      await vi.advanceTimersByTimeAsync(50);
      expect(state.size).toBe(1);
      expect(await state.get('kept')).toBe('v');
    } finally {
      await state.close();
      vi.useRealTimers();
    }
  });
});

describe('RedisState', () => {
  /** Connections the server holds for RedisState (they name themselves sinch-calling-mcp). */
  async function ourConnections(server: RedisServer = redis): Promise<number> {
    const list = await server.cli('CLIENT', 'LIST');
    return list.split('\n').filter((line) => line.includes(' name=sinch-calling-mcp ')).length;
  }

  it('close releases both its connections (commands and subscriber)', async () => {
    const before = await ourConnections();
    const state = track(await RedisState.connect(redis.url));
    expect(await ourConnections()).toBe(before + 1);
    await state.subscribe('a', () => {});
    await state.subscribe('b', () => {});
    // One subscriber connection carries every channel.
    expect(await ourConnections()).toBe(before + 2);
    await state.close();
    // close() resolves once both sockets are closed on this side; the server notices a moment later.
    await until(async () => (await ourConnections()) === before, { what: `the server to hold ${before} connection(s) again`, intervalMs: 50 });
  });

  it('keeps keys and channels under its prefix (default sinch-mcp:) with the TTLs asked for', async () => {
    const state = track(await RedisState.connect(redis.url));
    await state.set('prefixed', 'v', 60_000);
    expect(await redis.cli('GET', 'sinch-mcp:prefixed')).toBe('v');
    expect(await redis.cli('EXISTS', 'prefixed')).toBe('0');
    expect(Number(await redis.cli('PTTL', 'sinch-mcp:prefixed'))).toBeGreaterThan(50_000);
    await state.windowTake('budget', 5, 30_000, Date.now());
    expect(await redis.cli('ZCARD', 'sinch-mcp:budget')).toBe('1');
    expect(Number(await redis.cli('PTTL', 'sinch-mcp:budget'))).toBeGreaterThan(20_000);
    expect(Number(await redis.cli('PTTL', 'sinch-mcp:budget'))).toBeLessThanOrEqual(30_000);

    const other = track(await RedisState.connect(redis.url, { prefix: 'team-b:' }));
    expect(await other.get('prefixed')).toBeUndefined();
    const heard: string[] = [];
    await state.subscribe('news', (message) => heard.push(message));
    await other.publish('news', 'for team b only');
    await redis.cli('PUBLISH', 'sinch-mcp:news', 'for sinch-mcp');
    await until(() => heard.length > 0, { what: 'the message for sinch-mcp' });
    expect(heard).toEqual(['for sinch-mcp']);
  });

  it('fails fast with a clear error naming SINCH_REDIS_URL, never its password, when nothing listens', async () => {
    const { freePort } = await import('../helpers/redis.js');
    const port = await freePort();
    const started = Date.now();
    const failure = await RedisState.connect(`redis://:hunter2-secret@127.0.0.1:${port}`, { connectTimeoutMs: 2_000 }).catch((error: Error) => error);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^SINCH_REDIS_URL: cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+ \(password hidden\) \(connect ECONNREFUSED/);
    expect((failure as Error).message).not.toContain('hunter2');
  });

  it('gives up within connectTimeoutMs on a server that accepts but never answers', async () => {
    const { createServer } = await import('node:net');
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const started = Date.now();
      await expect(RedisState.connect(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 500 })).rejects.toThrow(/SINCH_REDIS_URL: .*no answer within 500 ms/);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names a wrong password as the reason without echoing it', async () => {
    const guarded = await startRedisServer({ password: 'right-password' });
    try {
      const wrong = guarded.url.replace('right-password', 'wrong-password');
      const failure = await RedisState.connect(wrong, { connectTimeoutMs: 3_000 }).catch((error: Error) => error);
      expect((failure as Error).message).toMatch(/SINCH_REDIS_URL: .*(WRONGPASS|NOAUTH)/);
      expect((failure as Error).message).not.toContain('password@');
      expect((failure as Error).message).not.toMatch(/wrong-password|right-password/);
      const state = track(await RedisState.connect(guarded.url));
      await state.set('k', 'v', 10_000);
      expect(await state.get('k')).toBe('v');
      await state.close();
    } finally {
      await guarded.stop();
    }
  });

  it('a command to a Redis that stopped answering fails after commandTimeoutMs instead of hanging, and works again after', async () => {
    const lines: string[] = [];
    const state = track(await RedisState.connect(redis.url, { commandTimeoutMs: 300, log: (line) => lines.push(line) }));
    await state.set('k', 'v', 60_000);
    redis.pause();
    try {
      const started = Date.now();
      await expect(state.get('k')).rejects.toThrow(/SINCH_REDIS_URL redis:\/\/127\.0\.0\.1:\d+\): GET failed: Command timed out/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      redis.resume();
    }
    await until(async () => (await state.get('k').catch(() => undefined)) === 'v', { what: 'GET to work again', intervalMs: 100 });
  });

  it('reports a lost connection once, fails commands while Redis is down, and reconnects when it is back', async () => {
    const own = await startRedisServer();
    const lines: string[] = [];
    const state = track(await RedisState.connect(own.url, { commandTimeoutMs: 1_000, log: (line) => lines.push(line) }));
    await own.stop();
    await expect(state.set('k', 'v', 1_000)).rejects.toThrow(/SINCH_REDIS_URL/);
    await until(() => lines.some((line) => line.startsWith('lost the connection to Redis')), { what: 'the loss to be reported' });
    expect(lines.filter((line) => line.startsWith('lost the connection'))).toHaveLength(1);
    await state.close();
  });

  it('bundles with the product build: runs with no node_modules, and the Redis client loads only when a URL is given', async () => {
    const script = await bundleStateScript([
      'const memory = await createSharedState(undefined);',
      'const state = await createSharedState(process.argv[2], { prefix: "bundle-test:" });',
      'await state.set("k", "from the bundle", 10_000);',
      'console.log(await memory.get("k"), await state.get("k"));',
      'await Promise.all([memory.close(), state.close()]);',
    ]);
    try {
      // The client (the only code that sends EVALSHA) lives in a chunk of its own that the entry only imports dynamically.
      expect(readFileSync(join(script.out, 'entry.js'), 'utf8')).not.toMatch(/EVALSHA/);
      const chunks = readdirSync(join(script.out, 'chunks'));
      expect(chunks.some((chunk) => /EVALSHA/.test(readFileSync(join(script.out, 'chunks', chunk), 'utf8')))).toBe(true);
      expect((await script.run([redis.url])).trim()).toBe('undefined from the bundle');
      expect(await redis.cli('GET', 'bundle-test:k')).toBe('from the bundle');
    } finally {
      script.remove();
    }
  });
});

describe('createSharedState', () => {
  it('is in memory without a URL and on Redis with one', async () => {
    const memory = track(await createSharedState(undefined));
    expect(memory).toBeInstanceOf(ExportedMemoryState);
    const onRedis = track(await createSharedState(redis.url, { prefix: 'factory:' }));
    await onRedis.set('k', 'v', 10_000);
    expect(await redis.cli('GET', 'factory:k')).toBe('v');
  });

  it('refuses a malformed SINCH_REDIS_URL, saying what is allowed and never echoing the value', async () => {
    for (const bad of ['not a url with pa55word', 'http://:pa55word@cache:6379', 'redis://:pa55word@cache:6379/zero']) {
      const failure = await createSharedState(bad).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(RedisUrlError);
      expect(failure).toBeInstanceOf(RedisStateError);
      expect((failure as Error).message).toMatch(/^SINCH_REDIS_URL\b.*redis:\/\/\[user\[:password\]@\]host/);
      expect((failure as Error).message).not.toContain('pa55word');
    }
  });

  it('describes a URL for logs with the password hidden', () => {
    expect(describeRedisUrl(checkRedisUrl('rediss://ops:pa55word@cache.internal:6380/2'))).toBe('rediss://ops@cache.internal:6380/2 (password hidden)');
    expect(describeRedisUrl(checkRedisUrl('redis://cache.internal'))).toBe('redis://cache.internal:6379');
  });
});
