import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ResilientStdioTransport } from '../../src/transports/stdio.js';

function setup(maxLineBytes = 64) {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new ResilientStdioTransport(input, output, maxLineBytes);
  const messages: unknown[] = [];
  const errors: string[] = [];
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = (e) => errors.push(e.message);
  return { input, output, transport, messages, errors };
}

const ping = (id: number) => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`;

describe('ResilientStdioTransport', () => {
  it('splits messages across and within chunks', async () => {
    const { input, transport, messages } = setup(1_000);
    await transport.start();
    const text = ping(1) + ping(2) + ping(3);
    input.write(text.slice(0, 10));
    input.write(text.slice(10, 50));
    input.write(text.slice(50));
    await new Promise((r) => setImmediate(r));
    expect(messages.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
  });

  it('drops an oversized line, reports it, and keeps reading', async () => {
    const { input, transport, messages, errors } = setup(64);
    await transport.start();
    input.write(`{"jsonrpc":"2.0","id":9,"method":"ping","params":{"x":"${'x'.repeat(200)}`);
    input.write(`${'y'.repeat(100)}"}}\n${ping(10)}`);
    input.write('not json\n\n');
    input.write(ping(11));
    await new Promise((r) => setImmediate(r));
    expect(messages.map((m) => (m as { id: number }).id)).toEqual([10, 11]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/larger than 64 bytes/);
    expect(errors[1]).toMatch(/not a JSON-RPC message/);
  });

  it('writes one line per message', async () => {
    const { output, transport } = setup();
    let written = '';
    output.on('data', (d) => (written += d));
    await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect(written).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n');
  });
});
