// The built bin in remote mode (--http) as a child process, and MCP clients that reach it over Streamable HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SERVER_BIN } from './stdio.js';

export interface RemoteServer {
  /** http://127.0.0.1:PORT/mcp */
  url: string;
  origin: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startRemote(env: Record<string, string>): Promise<RemoteServer> {
  const child = spawn(process.execPath, [SERVER_BIN, '--http'], {
    env: { PATH: process.env.PATH ?? '', SINCH_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`remote server did not start:\n${stderr}`)), 10_000);
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const found = /MCP Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`remote server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** An MCP client over Streamable HTTP with a bearer token (and optional client capabilities). */
export async function httpClient(url: string, token: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = new Client({ name: 'remote-test', version: '0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}
