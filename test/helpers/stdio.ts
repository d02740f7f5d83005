// Spawns the built bin (dist/index.js, built by `npm test`) and connects the SDK Client over real stdio.
import { existsSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';

export const SERVER_BIN = 'dist/index.js';

export interface StdioServer {
  client: Client;
  transport: StdioClientTransport;
  stderr(): string;
  /** Errors the client saw on the stream (e.g. a non-JSON line on stdout). */
  protocolErrors: Error[];
  close(): Promise<void>;
}

/** `at` runs another copy of the bin (an installed package, an unpacked bundle) from its own folder. */
export async function spawnServer(
  env: Record<string, string> = {},
  args: string[] = [],
  elicit?: (message: string) => ElicitResult,
  at: { bin: string; cwd: string } = { bin: SERVER_BIN, cwd: process.cwd() },
): Promise<StdioServer> {
  if (!existsSync(at.bin)) throw new Error(`${at.bin} is missing: run npm run build (npm test does it)`);
  // Without a dialog the default would open a browser page; tests that are not about that use the token flow.
  const mode: Record<string, string> = elicit ? {} : { SINCH_CONFIRMATION_MODE: 'token' };
  const transport = new StdioClientTransport({ command: process.execPath, args: [at.bin, ...args], env: { PATH: process.env.PATH ?? '', ...mode, ...env }, stderr: 'pipe', cwd: at.cwd });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: 'stdio-test', version: '0' }, { capabilities: elicit ? { elicitation: { form: {} } } : {} });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params.message));
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, protocolErrors, close: () => client.close() };
}
