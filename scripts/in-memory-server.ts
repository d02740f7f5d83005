// Build-step helper: the real server (composed as the bin composes it, with the SDK's own handlers) over an
// in-memory transport, asked plain JSON-RPC requests. Used to precompute what clients are told (tool listing,
// bundle manifest) and by the test that compares that listing with the SDK's.
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config/config.js';
import type { SessionAccess, ToolListing } from '../src/mcp/services.js';
import { createServer } from '../src/mcp/server.js';
import { SinchClient } from '../src/sinch/client.js';

export interface InMemoryServer {
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** The capabilities of a client that shows in-chat views (MCP Apps). */
export const VIEWS_CLIENT = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } };

export interface InMemoryOptions {
  /** Serve the precomputed listing, as the bin does. */
  toolListing?: ToolListing;
  /** An HTTP session's scopes. */
  access?: SessionAccess;
  /** The client's capabilities in initialize (e.g. VIEWS_CLIENT). */
  capabilities?: Record<string, unknown>;
}

export async function startInMemoryServer(env: Record<string, string> = {}, options: InMemoryOptions = {}): Promise<InMemoryServer> {
  // Nothing is sent and no port is bound: these requests only ask what the configuration would list.
  const services = await compose(loadConfig(env), {
    client: new SinchClient(() => Promise.reject(new Error('not used'))),
    audit: () => undefined,
    toolListing: options.toolListing,
    // Listed, never read here: what a session that shows views is offered.
    views: () => Promise.reject(new Error('views are not read by the build scripts')),
    ports: false,
  });
  const server = createServer(services, options.access);
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
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: options.capabilities ?? {}, clientInfo: { name: 'build', version: '0' } });
  await ours.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    request,
    async close() {
      await server.close();
      await services.close();
    },
  };
}
