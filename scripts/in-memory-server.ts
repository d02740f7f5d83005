// Build-step helper: the real server (the SDK's own handlers) over an in-memory transport, asked plain
// JSON-RPC requests. Used to precompute what clients are told (tool listing, bundle manifest).
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { type Config, loadConfig } from '../src/config/config.js';
import { type ServerDeps, createServer } from '../src/mcp/server.js';
import { SinchClient } from '../src/sinch/client.js';

export interface InMemoryServer {
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** `deps`: what the bin or HTTP mode would add (the precomputed listing, a session's scopes). */
export async function startInMemoryServer(env: Record<string, string> = {}, deps: Pick<ServerDeps, 'toolListing' | 'access'> = {}): Promise<InMemoryServer> {
  const config: Config = loadConfig(env);
  const server = createServer({ config, client: new SinchClient(() => Promise.reject(new Error('not used'))), sandbox: false, ...deps });
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const answers = new Map<number, (message: Record<string, any>) => void>();
  ours.onmessage = (message: JSONRPCMessage) => {
    if ('id' in message) answers.get(Number(message.id))?.(message as Record<string, any>);
  };
  await server.connect(theirs);
  await ours.start();
  let nextId = 1;
  const request = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const id = nextId++;
      answers.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      void ours.send({ jsonrpc: '2.0', id, method, params });
    });
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'build', version: '0' } });
  await ours.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return { request, close: () => server.close() };
}
