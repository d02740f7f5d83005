// The one way this server opens an HTTP port (approval page, callback receiver, remote mode, sandbox): bind
// first, so the address is known before anything is built on it, then mount the handler that answers.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ServerLimits, hardenServer } from './http-request.js';
import { logLine } from './log.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ListenOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Connection limits and timeouts (defaults: DEFAULT_SERVER_LIMITS); false keeps Node's own (the sandbox, which stands in for Sinch). */
  limits?: Partial<ServerLimits> | false;
}

export interface HttpServer {
  /** http://127.0.0.1:8123 (an IPv6 address in brackets). */
  origin: string;
  /** What a client sends as Host for this address: "127.0.0.1:8123". */
  host: string;
  port: number;
  /** Starts answering; requests that arrive before a handler is mounted wait for it. */
  mount(handler: Handler): void;
  /** TCP connections accepted since start and open now, and requests waiting for the handler to be mounted. */
  connections(): { accepted: number; open: number; waiting: number };
  /** Drops every connection (a hanging request included) and stops listening. */
  close(): Promise<void>;
}

export async function listen(options: ListenOptions): Promise<HttpServer> {
  const server: Server = options.limits === false ? createServer() : hardenServer(createServer(), options.limits);
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, a failure to accept a connection (e.g. out of file descriptors) is reported, never thrown.
  server.on('error', (error) => logLine(`HTTP server on ${options.host}:${options.port}: ${error.message}`));
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const host = `${hostPart}:${address.port}`;
  // Bound before anything is built on the address; a request that comes in before the handler is mounted waits.
  let handler: Handler | undefined;
  const waiting: Array<[IncomingMessage, ServerResponse]> = [];
  const answer = (req: IncomingMessage, res: ServerResponse) =>
    Promise.resolve()
      .then(() => handler!(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('error');
      });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => (handler ? void answer(req, res) : void waiting.push([req, res])));
  let closing: Promise<void> | undefined;
  return {
    origin: `http://${host}`,
    host,
    port: address.port,
    mount(mounted) {
      if (handler) throw new Error('a handler is already mounted');
      handler = mounted;
      for (const [req, res] of waiting.splice(0)) void answer(req, res);
    },
    connections: () => ({ accepted, open: sockets.size, waiting: waiting.length }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })),
  };
}
