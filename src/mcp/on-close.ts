// Runs cleanup when a session's server closes, keeping whatever else was set to run then.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function onClose(server: McpServer, run: () => void): void {
  const previous = server.server.onclose;
  server.server.onclose = () => {
    run();
    previous?.();
  };
}
