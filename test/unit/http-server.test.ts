// listen(): the port is bound first and the handler mounted after, so whatever is built on the address knows it
// from the start; a request that arrives in between waits for the handler instead of being lost.
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServer, listen } from '../../src/support/http-server.js';
import { httpRequest } from '../helpers/approval.js';
import { until } from '../helpers/until.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('listen', () => {
  it('knows its address before anything answers, and answers a request that came before the handler', async () => {
    server = await listen({ host: '127.0.0.1', port: 0 });
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.host).toBe(`127.0.0.1:${server.port}`);
    const early = httpRequest(`${server.origin}/early`);
    await until(() => server!.connections().waiting === 1, { what: 'the request to wait for a handler' });
    server.mount((req, res) => void res.end(`answered ${req.url}`));
    expect(server.connections().waiting).toBe(0);
    expect((await early).body).toBe('answered /early');
  });

  it('a handler that throws gets a 500, and the server keeps answering', async () => {
    server = await listen({ host: '127.0.0.1', port: 0 });
    let calls = 0;
    server.mount((_req, res) => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      res.end('fine');
    });
    expect((await httpRequest(server.origin)).status).toBe(500);
    expect((await httpRequest(server.origin)).body).toBe('fine');
  });

  it('close drops open connections and frees the port', async () => {
    server = await listen({ host: '127.0.0.1', port: 0 });
    const { origin } = server;
    server.mount(() => undefined); // never answers
    const hanging = httpRequest(origin).catch((error: Error) => error);
    await until(() => server!.connections().open === 1, { what: 'the connection to open' });
    await server.close();
    expect(await hanging).toBeInstanceOf(Error);
    await expect(httpRequest(origin)).rejects.toThrow(/ECONNREFUSED/);
  });
});
