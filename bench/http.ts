// The remote-mode benchmark: N concurrent MCP sessions over Streamable HTTP (static bearer token) against one
// instance, and against two instances sharing a real redis-server (sessions round-robin), each session calling
// get_call_result in a loop against the sandbox in live mode; beside the same loops over stdio. Loopback only,
// bounded, stops by itself. Prints a table and writes bench/http-results.json. Run with `npm run bench:http`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startRedisServer } from '../test/helpers/redis.js';
import { benchSandbox, log, percentile, round } from './common.js';
import { type RemoteServer, endSession, httpClient, startRemote, writeTokens } from '../test/helpers/remote.js';

const SERVER = 'dist/index.js';
const SESSIONS = 16;
const CALLS_PER_SESSION = 100;
const ROUNDS = 4;
const WARM_UP_CALLS = 25;
const POOL_SIZE = 16;


async function stdioClient(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench-stdio', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER], env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'ignore' }));
  return client;
}

interface Figures {
  sessions: number;
  calls: number;
  errors: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p99: number };
  /** CPU time (user + system) of the server process(es) per call: less sensitive to a busy machine than wall time. */
  serverCpuMsPerCall: number;
  /** CPU time of this process (the clients and the sandbox) per call: on a small machine it competes with the servers. */
  benchCpuMsPerCall: number;
  firstError?: string;
}

interface Setup {
  label: string;
  key: string;
  clients: Client[];
  /** Server processes, for their CPU time. */
  pids: number[];
  sessions: number;
  latencies: number[];
  rates: number[];
  errors: number;
  cpuMs: number;
  benchCpuMs: number;
  firstError?: string;
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks are 100 Hz). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Every client runs its own loop of `calls` get_call_result calls, all loops at once; adds the figures to the setup. */
async function runRound(setup: Setup, callId: string, calls: number, record: boolean): Promise<void> {
  const cpuBefore = setup.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const benchBefore = process.cpuUsage();
  const loop = async (client: Client) => {
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      try {
        const result = await client.callTool({ name: 'get_call_result', arguments: { callId } });
        if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 200));
        if (record) setup.latencies.push(performance.now() - started);
      } catch (error) {
        if (!record) throw error;
        setup.errors++;
        setup.firstError ??= (error as Error).message.slice(0, 200);
      }
    }
  };
  const started = performance.now();
  await Promise.all(setup.clients.map(loop));
  if (!record) return;
  setup.rates.push((setup.clients.length * calls) / ((performance.now() - started) / 1000));
  setup.cpuMs += setup.pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
  const bench = process.cpuUsage(benchBefore);
  setup.benchCpuMs += (bench.user + bench.system) / 1000;
}

function figures(setup: Setup): Figures {
  const calls = setup.clients.length * CALLS_PER_SESSION;
  return {
    sessions: setup.sessions,
    calls,
    errors: setup.errors,
    throughputPerSecond: Math.round(percentile(setup.rates, 50)),
    latencyMs: setup.latencies.length ? { p50: round(percentile(setup.latencies, 50)), p99: round(percentile(setup.latencies, 99)) } : { p50: NaN, p99: NaN },
    serverCpuMsPerCall: round(setup.cpuMs / calls),
    benchCpuMsPerCall: round(setup.benchCpuMs / calls),
    ...(setup.firstError ? { firstError: setup.firstError } : {}),
  };
}

async function main(): Promise<void> {
  const { sandbox, callId, liveEnv } = await benchSandbox(POOL_SIZE);

  // A throwaway token for this run; the servers see only its hash.
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const { file, tokens: [token] } = writeTokens(dir, 'sinch:read', ['bench']);
  const httpEnv = { ...liveEnv, SINCH_HTTP_TOKENS_FILE: file };

  const redis = await startRedisServer();
  const redisEnv = { ...httpEnv, SINCH_REDIS_URL: redis.url, SINCH_STATE_SECRET: randomBytes(32).toString('base64') };
  const instances: RemoteServer[] = [];
  const clients: Client[] = [];
  const setups: Setup[] = [];
  const setup = (key: string, label: string, sessionClients: Client[], pids: number[], sessions = sessionClients.length) => {
    setups.push({ key, label, clients: sessionClients, pids, sessions, latencies: [], rates: [], errors: 0, cpuMs: 0, benchCpuMs: 0 });
    clients.push(...new Set(sessionClients));
  };
  try {
    // All servers run side by side and the rounds are interleaved, so a busy moment on a shared machine
    // falls on every setup alike.
    const [one, alone, ...pair] = await Promise.all([startRemote(httpEnv), startRemote(redisEnv), startRemote(redisEnv), startRemote(redisEnv)]);
    instances.push(one!, alone!, ...pair);
    const connectAll = (urls: (i: number) => string) => Promise.all(Array.from({ length: SESSIONS }, (_, i) => httpClient(urls(i), token!)));
    // stdio: one server process, one session, the same N loops at once through it.
    const stdio = await stdioClient(liveEnv);
    setup('stdio', 'stdio, one process (N loops on one session)', Array.from({ length: SESSIONS }, () => stdio), [(stdio.transport as StdioClientTransport).pid!], 1);
    setup('httpOneInstance', 'HTTP, one instance (memory state)', await connectAll(() => one!.url), [one!.child.pid!]);
    // What shared state costs, apart from spreading the load.
    setup('httpOneInstanceRedis', 'HTTP, one instance on Redis', await connectAll(() => alone!.url), [alone!.child.pid!]);
    // Sessions round-robin across the two instances sharing the redis-server.
    setup('httpTwoInstancesRedis', 'HTTP, two instances on one Redis', await connectAll((i) => pair[i % 2]!.url), pair.map((p) => p.child.pid!));

    log(`${SESSIONS} concurrent sessions × ${CALLS_PER_SESSION} calls per setup, in ${ROUNDS} interleaved rounds`);
    for (const s of setups) await runRound(s, callId, WARM_UP_CALLS, false);
    for (let r = 0; r < ROUNDS; r++) for (const s of setups) await runRound(s, callId, CALLS_PER_SESSION / ROUNDS, true);
  } finally {
    await Promise.allSettled(
      clients.map(endSession),
    );
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await redis.stop();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const results = Object.fromEntries(setups.map((s) => [s.key, figures(s)]));

  const output = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    tool: 'get_call_result (live mode against the loopback sandbox)',
    sessions: SESSIONS,
    callsPerSession: CALLS_PER_SESSION,
    results,
  };
  writeFileSync('bench/http-results.json', `${JSON.stringify(output, null, 2)}\n`);
  const rows = setups.map((s) => [s.label, results[s.key]!] as const);
  // The table is this program's output (not an MCP server): stdout is right for it.
  const table = [
    `${SESSIONS} concurrent loops × ${CALLS_PER_SESSION} get_call_result calls each`,
    '| transport | calls/s | p50 ms | p99 ms | server CPU ms/call | client+sandbox CPU ms/call | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([label, f]) => `| ${label} | ${f.throughputPerSecond} | ${f.latencyMs.p50} | ${f.latencyMs.p99} | ${f.serverCpuMsPerCall} | ${f.benchCpuMsPerCall} | ${f.errors}/${f.calls} |`),
  ];
  process.stdout.write(`${table.join('\n')}\n`);
  for (const [label, f] of rows) if (f.firstError) log(`${label}: first error: ${f.firstError}`);
  process.exitCode = rows.every(([, f]) => f.errors === 0) ? 0 : 1;
}

await main();
