// The built bin in remote mode (--http) as a child process, a throwaway token file, and MCP clients that reach
// it over Streamable HTTP with a bearer token. Used by the e2e tests, the HTTP benchmark and the deploy/ check.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SERVER_BIN } from './stdio.js';

const START_TIMEOUT_MS = 10_000;

export interface RemoteServer {
  /** http://127.0.0.1:PORT/mcp, as the server says it listens. */
  url: string;
  origin: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, and SIGKILL if it has not exited within 3 s. */
  stop(): Promise<void>;
}

/** `node dist/index.js --http`; SINCH_HTTP_PORT defaults to 0 (a free port). Resolves once it listens. `nodeArgs`: e.g. --cpu-prof. */
export function startRemote(env: Record<string, string>, nodeArgs: string[] = []): Promise<RemoteServer> {
  const child = spawn(process.execPath, [...nodeArgs, SERVER_BIN, '--http'], { env: { PATH: process.env.PATH ?? '', SINCH_HTTP_PORT: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`the HTTP server did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`the HTTP server exited (${code}):\n${stderr}`));
    const onData = () => {
      const url = /MCP Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(stderr)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr!.off('data', onData);
      resolve({ url, origin: new URL(url).origin, child, stderr: () => stderr, stop: () => stopRemote(child) });
    };
    child.once('exit', onExit);
    child.stderr!.on('data', onData);
  });
}

async function stopRemote(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(timer);
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token file in `dir` with a fresh random token per name (scopes: the same for all, or one entry per name); the file holds only their SHA-256. */
export function writeTokens(dir: string, scopes: string | string[], names: string[]): { file: string; tokens: string[] } {
  const tokens = names.map(() => randomBytes(32).toString('base64'));
  const file = join(dir, 'tokens');
  const scopesOf = (i: number) => (Array.isArray(scopes) ? scopes[i] : scopes);
  writeFileSync(file, `${tokens.map((token, i) => `${sha256Hex(token)} ${scopesOf(i)} ${names[i]}`).join('\n')}\n`, { mode: 0o600 });
  return { file, tokens };
}

/** An MCP client over Streamable HTTP with a bearer token (and optional client capabilities). */
export async function httpClient(url: string, token: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = new Client({ name: 'remote-test', version: '0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** Ends an HTTP session (DELETE) so the server holds nothing, then closes the client. */
export async function endSession(client: Client): Promise<void> {
  if (client.transport instanceof StreamableHTTPClientTransport) await client.transport.terminateSession();
  await client.close();
}
