// serve(services): MCP on what compose() made. stdio: one session on this process's stdin and stdout. HTTP
// (remote mode): a session per client on the port compose() bound, beside the callback receiver and the
// approval pages (serve-http.ts, loaded only then).
import type { Services } from './compose.js';
import { type SessionTransport, createServer } from './mcp/server.js';
import { logLine } from './support/log.js';
import { ResilientStdioTransport } from './transports/stdio.js';

export interface Serving {
  /** HTTP mode: where /mcp answers on this machine. */
  url?: string;
  /** Closes the MCP session(s); what compose() made is released by services.close(). */
  close(): Promise<void>;
}

export async function serve(services: Services): Promise<Serving> {
  if (services.http) return (await import('./serve-http.js')).serveHttp(services);
  return serveStdio(services);
}

/** One session over a transport: this process's stdio by default (tests may pass another). */
export async function serveStdio(services: Services, transport: SessionTransport = new ResilientStdioTransport()): Promise<Serving> {
  const server = createServer(services);
  server.server.onerror = (error) => logLine(`protocol: ${error.message}`);
  await server.connect(transport);
  return { close: () => server.close() };
}
