// A real redis-server (Debian's package; .ci/run installs it) on a free loopback port, without persistence
// unless a test asks for the append-only file (as the shipped compose file runs it), for the tests of shared state across instances. Redis is never mocked.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { until } from './until.js';

export interface RedisServer {
  port: number;
  /** The redis-server process (the benchmark reads its CPU time). */
  pid: number;
  /** redis://127.0.0.1:PORT (rediss:// with `tls`), with the password when one was asked for. */
  url: string;
  /** SIGSTOP: the server keeps its connections but answers nothing (to test command timeouts). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  /** SIGKILL: connections drop at once, whatever they were waiting for. */
  kill(): Promise<void>;
  /**
   * Runs redis-cli against this server (authenticated when it has a password) and returns its raw output, so
   * tests check what Redis holds through a client other than the one under test.
   */
  cli(...args: string[]): Promise<string>;
}

export interface RedisServerOptions {
  password?: string;
  /** Start on this port (e.g. to restart a server a client is reconnecting to); default a free one. */
  port?: number;
  /**
   * Persist as deploy/docker-compose.yml does (appendonly yes, appendfsync everysec) in this directory, which
   * the test owns: it outlives stop() and kill(), so a server started again on it has the data back.
   */
  persistDir?: string;
  /** Speak TLS only (url rediss://127.0.0.1:PORT), with the self-signed certificate in TLS_CERTIFICATE. */
  tls?: boolean;
}

/** The certificate a `tls` server presents (test/fixtures/redis-tls): trust it to connect. */
export const TLS_CERTIFICATE = resolvePath('test/fixtures/redis-tls/cert.pem');
const TLS_KEY = resolvePath('test/fixtures/redis-tls/key.pem');

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (options.port) return startOn(options.port, options);
  // A free port can be taken between the probe and the bind; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOn(await freePort(), options);
    } catch (error) {
      lastError = error;
      if ((error as Error).message.includes('redis-server is not installed')) break;
    }
  }
  throw lastError;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startOn(port: number, { password, tls = false, persistDir }: RedisServerOptions): Promise<RedisServer> {
  const dir = persistDir ?? mkdtempSync(join(tmpdir(), 'redis-test-'));
  const persistence = persistDir ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const listen = tls ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', TLS_CERTIFICATE, '--tls-key-file', TLS_KEY, '--tls-auth-clients', 'no'] : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir, '--loglevel', 'warning'];
  if (password) args.push('--requirepass', password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'ENOENT' ? 'redis-server is not installed: apt-get install -y redis-server (.ci/run does it)' : error.message)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering on port ${port}: ${output.trim()}`)));
  });
  exited.catch(() => {});
  // If the test process dies, the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanUp = () => {
    process.off('exit', killOnExit);
    if (!persistDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([answersPing(port, tls, 10_000), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    cleanUp();
    throw error;
  }
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  return {
    port,
    pid: child.pid!,
    url: `${tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: async () => {
      await stopProcess(child);
      cleanUp();
    },
    kill: async () => {
      await stopProcess(child, 'SIGKILL');
      cleanUp();
    },
    cli: (...cliArgs) => redisCli(port, password, tls, cliArgs),
  };
}

/** Resolves once something on the port answers PING (+PONG, or -NOAUTH when a password is required). */
async function answersPing(port: number, tls: boolean, timeoutMs: number): Promise<void> {
  await until(() => pingOnce(port, tls), { what: `redis-server on port ${port} to answer PING`, timeoutMs, intervalMs: 50 });
}

function pingOnce(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls ? connectTls({ host: '127.0.0.1', port, ca: readFileSync(TLS_CERTIFICATE) }) : createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

function redisCli(port: number, password: string | undefined, tls: boolean, args: string[]): Promise<string> {
  const auth = password ? ['--no-auth-warning', '-a', password] : [];
  const secure = tls ? ['--tls', '--cacert', TLS_CERTIFICATE] : [];
  return new Promise((resolve, reject) =>
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...secure, ...auth, ...args], { timeout: 10_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`redis-cli ${args[0]} failed: ${stderr || error.message}`)) : resolve(stdout.replace(/\n$/, '')),
    ),
  );
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  // A paused server is let go before SIGTERM; SIGKILL ends it where it stands (nothing more gets answered).
  if (signal !== 'SIGKILL') child.kill('SIGCONT');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
