// The throughput baseline for remote mode: the SDK's own minimal stateful Streamable HTTP server (one tool, a
// transport per session, no auth, no limits), bundled like ours. Prints "baseline at <url>" on stderr.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const transports = new Map<string, StreamableHTTPServerTransport>();

async function newSession(): Promise<StreamableHTTPServerTransport> {
  const server = new McpServer({ name: 'baseline', version: '0.0.0' });
  server.registerTool('echo', { description: 'Echo the text back.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void transports.set(id, transport),
  });
  transport.onclose = () => void (transport.sessionId && transports.delete(transport.sessionId));
  await server.connect(transport);
  return transport;
}

const http = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  const id = req.headers['mcp-session-id'];
  const existing = typeof id === 'string' ? transports.get(id) : undefined;
  if (existing) return existing.handleRequest(req, res, body);
  if (req.method === 'POST' && isInitializeRequest(body)) return (await newSession()).handleRequest(req, res, body);
  res.writeHead(400).end();
});
http.listen(0, '127.0.0.1', () => process.stderr.write(`baseline at http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`));
process.on('SIGTERM', () => process.exit(0));
