// The receiver under a connection flood: idle, slow and kept-alive connections are closed by the server
// within its configured timeouts, and connections past the cap are refused, so a flood cannot hold sockets.
import { type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { EventBuffer } from '../../src/events/buffer.js';
import { CallState } from '../../src/state/calls.js';
import { type Receiver, startReceiver } from '../../src/events/receiver.js';
import { MemoryReplayGuard } from '../../src/events/replay-guard.js';
import type { ServerLimits } from '../../src/support/http-request.js';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { until } from '../helpers/until.js';

const APP = { key: 'app-key-1', secret: Buffer.from('receiver limits secret').toString('base64') };
let receiver: Receiver | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await receiver?.close();
  receiver = undefined;
});

async function start(limits: Partial<ServerLimits>): Promise<{ host: string; port: number }> {
  receiver = await startReceiver({ host: '127.0.0.1', port: 0, publicPath: '/e', app: APP, buffer: new EventBuffer(10), calls: CallState.inMemory(), replays: new MemoryReplayGuard(), limits });
  const url = new URL(receiver.localUrl);
  return { host: url.hostname, port: Number(url.port) };
}

interface Held {
  socket: Socket;
  /** Resolves with ms from open to close (by the server: the test never ends these itself). */
  closed: Promise<number>;
  received: () => string;
}

function hold(address: { host: string; port: number }): Promise<Held> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect(address.port, address.host);
    sockets.push(socket);
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - opened)));
    socket.once('connect', () => resolve({ socket, closed, received: () => data }));
    socket.once('error', reject);
  });
}

/** Resolves with the close time, or 'open' if the socket is still open after ms. */
function closedWithin(held: Held, ms: number): Promise<number | 'open'> {
  return Promise.race([held.closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), ms))]);
}

const FAST = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, checkIntervalMs: 100 };

describe('callback receiver: connection limits', () => {
  it('closes connections that never send a request within the headers timeout', async () => {
    const address = await start(FAST);
    const idle = await Promise.all(Array.from({ length: 20 }, () => hold(address)));
    const times = await Promise.all(idle.map((held) => closedWithin(held, 5_000)));
    for (const time of times) {
      expect(time).not.toBe('open');
      // Not before the timeout, and well before Node's default of 60 s.
      expect(time).toBeGreaterThanOrEqual(250);
    }
  });

  it('answers a slow body 408 and closes it within the request timeout, even while bytes keep trickling', async () => {
    const address = await start(FAST);
    const slow = await hold(address);
    slow.socket.write('POST /e HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const drip = setInterval(() => slow.socket.writable && slow.socket.write(' '), 50);
    try {
      const time = await closedWithin(slow, 5_000);
      expect(time).not.toBe('open');
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes an idle kept-alive connection after an answer', async () => {
    const address = await start(FAST);
    const kept = await hold(address);
    const body = JSON.stringify({ event: 'dice', callid: 'kept-1' });
    const timestamp = new Date().toISOString();
    const contentType = 'application/json';
    const authorization = applicationAuthorization(APP.key, APP.secret, { method: 'POST', body, contentType, timestamp, path: '/e' });
    kept.socket.write(
      `POST /e HTTP/1.1\r\nHost: receiver\r\nContent-Type: ${contentType}\r\nx-timestamp: ${timestamp}\r\nAuthorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    // Node adds up to a second of grace to the keep-alive timeout (Node's default timeout is 5 s).
    const time = await closedWithin(kept, 3_500);
    expect(kept.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(kept.received()).not.toMatch(/connection: close/i);
    expect(time).not.toBe('open');
  });

  it('refuses connections past the cap while the first ones stay open, and says so once on stderr, not per refusal', async () => {
    const said: string[] = [];
    const watch = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => said.push(String(chunk)) > 0);
    onTestFinished(() => watch.mockRestore());
    const address = await start({ maxConnections: 5, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000 });
    // Connected before the extras: the server accepts connections in the order they arrived.
    const first = await Promise.all(Array.from({ length: 5 }, () => hold(address)));
    const extra = await Promise.all(Array.from({ length: 5 }, () => hold(address)));
    const extraTimes = await Promise.all(extra.map((held) => closedWithin(held, 3_000)));
    expect(extraTimes.every((time) => time !== 'open')).toBe(true);
    // The first refusal is said at once; the others of the same minute are summed after it.
    expect(said.filter((line) => line.includes('refused'))).toEqual(['sinch-calling-mcp: WARNING: refused 1 connection(s): 5 were already open, the cap for this port.\n']);
    expect(await Promise.all(first.map((held) => closedWithin(held, 100)))).toEqual(['open', 'open', 'open', 'open', 'open']);
    // Once one is gone, a new connection gets an answer again.
    first[0]!.socket.destroy();
    await first[0]!.closed;
    // The server frees the slot when it sees the close; until then a new connection is refused like the extras.
    const answer = await until(() => fetch(receiver!.localUrl).catch(() => undefined), { what: 'an answer once a slot is free' });
    expect(answer.status).toBe(404);
  });
});
