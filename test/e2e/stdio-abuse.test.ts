// The stdio stream under abuse, and shutdown with a call in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type RawServer, nonProtocolLines, spawnRaw } from '../helpers/raw-stdio.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

let server: RawServer | undefined;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

describe('stdio stream abuse', () => {
  it('malformed lines, unknown methods, a 10 MB message and a burst of 1000 requests: still serving, stdout only JSON-RPC', async () => {
    server = spawnRaw();
    await server.initialize();

    server.write('this is not json\n');
    server.write('{"jsonrpc":"2.0","id":\n');
    server.write('{"jsonrpc":"1.0","id":"x","method":"tools/list"}\n');
    server.write('[1,2,3]\n');
    const unknown = await server.request('no/such/method', {});
    expect(unknown.error.code).toBe(-32601);

    const huge = await server.request('tools/call', { name: 'lookup_number', arguments: { number: 'x'.repeat(10 * 1024 * 1024) } });
    expect(huge.result.isError).toBe(true);
    expect(huge.result.content[0].text).toMatch(/number is too long/);

    // Past the 16 MB line limit the message is dropped, not the connection.
    server.write(`{"jsonrpc":"2.0","id":"big","method":"ping","params":{"x":"${'y'.repeat(20 * 1024 * 1024)}"}}\n`);
    expect((await server.request('ping', {})).result).toEqual({});
    expect(server.stderr()).toMatch(/dropped a message larger than/);

    const burst = await Promise.all(Array.from({ length: 1000 }, (_, i) => server!.request(i % 2 ? 'tools/list' : 'ping', {})));
    expect(burst.every((response) => response.result !== undefined)).toBe(true);

    const after = await server.request('tools/call', { name: 'list_numbers', arguments: {} });
    expect(after.result.structuredContent.status).toBe('done');
    expect(nonProtocolLines(server.stdout())).toEqual([]);
  });
});

describe('shutdown', () => {
  async function serverWithHangingCall(): Promise<RawServer> {
    sandbox = await startSandbox();
    sandbox.faults.add({ kind: 'hang' }, { times: 10 });
    const raw = spawnRaw({
      ...liveEnv(sandbox),
      SINCH_TIMEOUT_MS: '60000',
    });
    await raw.initialize();
    void raw.request('tools/call', { name: 'get_conference', arguments: { conferenceId: 'room' } });
    await until(() => sandbox!.requests.length > 0, { what: 'the call to reach the sandbox' });
    expect(sandbox.requests).toHaveLength(1);
    return raw;
  }

  it('stdin closing with a call in flight: exits 0 within 2 s', async () => {
    server = await serverWithHangingCall();
    const started = Date.now();
    server.child.stdin.end();
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('SIGTERM with a call in flight: exits 0 within 2 s', async () => {
    server = await serverWithHangingCall();
    const started = Date.now();
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
