// Build step: asks the real server (the SDK's own tools/list handler, over an in-memory transport) for the
// full tool list and writes it to dist/tool-listing.json. The bin serves that file instead of converting
// 32 zod schemas to JSON Schema at every start-up; a test checks the two are identical.
import { writeFileSync } from 'node:fs';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import { SinchClient } from '../src/sinch/client.js';

// With the callback receiver configured, so the listing holds every tool (the bin filters it).
const config = loadConfig({ SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: 'https://example.invalid/sinch/events' });
const server = createServer({ config, client: new SinchClient(() => Promise.reject(new Error('not used'))), sandbox: false });
const [ours, theirs] = InMemoryTransport.createLinkedPair();
const answers = new Map<number, Record<string, any>>();
ours.onmessage = (message: JSONRPCMessage) => {
  if ('id' in message) answers.set(Number(message.id), message as Record<string, any>);
};
await server.connect(theirs);
await ours.start();
await ours.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'build', version: '0' } } });
await ours.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
await ours.send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
while (!answers.has(2)) await new Promise((resolve) => setTimeout(resolve, 1));
writeFileSync(process.argv[2]!, JSON.stringify(answers.get(2)!.result.tools));
await server.close();
