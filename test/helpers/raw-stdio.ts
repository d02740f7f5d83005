// A built MCP server as a raw child process: write any bytes to stdin, keep every byte of stdout and stderr.
// Used by the stdio tests and by the benchmark (which needs the least client overhead possible).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { SERVER_BIN } from './stdio.js';

export interface RawServer {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  write(text: string): void;
  /** Sends a JSON-RPC request and resolves with its response. */
  request(method: string, params?: unknown): Promise<Record<string, any>>;
  /** Answers the server's initialize result (its instructions, capabilities). */
  initialize(): Promise<Record<string, any>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let nextId = 1;

export function spawnRaw(env: Record<string, string> = {}, file = SERVER_BIN): RawServer {
  const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  let buffered = '';
  const waiting = new Map<number, (message: Record<string, any>) => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        const message = JSON.parse(line);
        if (message.id !== undefined) waiting.get(message.id)?.(message);
      } catch {
        // Not JSON: the test that reads stdout() will see it.
      }
    }
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const server: RawServer = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    write: (text) => child.stdin.write(text),
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    async initialize() {
      const answer = await server.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      return answer;
    },
    exited,
  };
  return server;
}

/** Every stdout line must be a JSON-RPC 2.0 message. Returns the offending lines. */
export function nonProtocolLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .filter((line) => {
      try {
        return JSON.parse(line).jsonrpc !== '2.0';
      } catch {
        return true;
      }
    });
}
