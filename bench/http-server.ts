// Remote-mode servers and clients for the HTTP benchmark and the deploy/ check: the built bin in --http mode
// on loopback, a throwaway token file, and SDK clients that send the token in the Authorization header.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const SERVER = 'dist/index.js';
const START_TIMEOUT_MS = 10_000;

export interface Instance {
  /** The /mcp URL the server says it listens on. */
  url: string;
  child: ChildProcess;
}

/** `node dist/index.js --http`; SINCH_HTTP_PORT defaults to 0 (a free port). Resolves once it listens. */
export function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [SERVER, '--http'], { env: { PATH: process.env.PATH ?? '', SINCH_HTTP_PORT: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`the HTTP server did not start within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`the HTTP server exited (${code}): ${stderr.trim()}`));
    const onData = (chunk: Buffer) => {
      stderr += String(chunk);
      const url = /MCP Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(stderr)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr!.off('data', onData);
      child.stderr!.resume(); // keep draining what it logs later
      resolve({ url, child });
    };
    child.once('exit', onExit);
    child.stderr!.on('data', onData);
  });
}

export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const gone = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(timer);
}

/** A token file in `dir` with a fresh random token per name; the file holds only their SHA-256. */
export function writeTokens(dir: string, scopes: string, names: string[]): { file: string; tokens: string[] } {
  const tokens = names.map(() => randomBytes(32).toString('base64'));
  const file = join(dir, 'tokens');
  const lines = tokens.map((token, i) => `${createHash('sha256').update(token).digest('hex')} ${scopes} ${names[i]}`);
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { file, tokens };
}

export async function httpClient(url: string, token: string, options?: ClientOptions): Promise<Client> {
  const client = new Client({ name: 'bench-http', version: '0' }, options);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** Ends an HTTP session (DELETE) so the server holds nothing, then closes the client. */
export async function endSession(client: Client): Promise<void> {
  if (client.transport instanceof StreamableHTTPClientTransport) await client.transport.terminateSession();
  await client.close();
}
