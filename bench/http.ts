// The remote-mode benchmark, side by side in one run: the SDK's own minimal one-tool Streamable HTTP server
// (bench/baseline-http-server.ts, the baseline), one instance of ours (state in memory), and two instances sharing
// a real redis-server (sessions round-robin), all with the Node flags of the shipped image (deploy/Dockerfile).
// Throughput: N concurrent sessions (default 500), each calling in a loop (ours: get_call_result in live mode
// against the sandbox, which stands in for Sinch in a process of its own; the baseline: its echo tool), in
// interleaved rounds. Capacity: M sessions (default 1 000) opened at once on one instance, each holding its event
// stream (the SDK client opens GET /mcp after initialize), each calling; errors and memory per session.
// Loopback only, bounded, stops by itself. Prints tables and writes bench/http-results.json.
// Knobs (environment): BENCH_SESSIONS, BENCH_CALLS (per session), BENCH_CAPACITY_SESSIONS, BENCH_ONLY (one setup's
// key, e.g. httpOneInstance: the others are not run), BENCH_PROFILE_DIR (every process runs with --cpu-prof and
// writes its profile there on exit).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startRedisServer } from '../test/helpers/redis.js';
import { log, percentile, round } from './common.js';
import { type RemoteServer, endSession, httpClient, startRemote, writeTokens } from '../test/helpers/remote.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 500);
const CALLS_PER_SESSION = Number(process.env.BENCH_CALLS ?? 30);
const CAPACITY_SESSIONS = Number(process.env.BENCH_CAPACITY_SESSIONS ?? 1_000);
const CAPACITY_CALLS = 3;
const ROUNDS = 10;
const WARM_UP_CALLS = 4;
const TOKENS = 100;
/** Sessions opened at once while connecting (the listen backlog is finite; every one stays open). */
const OPEN_AT_ONCE = 100;
const PROFILE_ARGS = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
/** Both servers run with the Node flags the shipped image gives ours (deploy/Dockerfile's CMD). */
const SERVER_ARGS = [...deployedNodeFlags(), ...PROFILE_ARGS];
const BUILD_DIR = dirname(fileURLToPath(import.meta.url));
const BASELINE = join(BUILD_DIR, 'baseline-http.js');
const SANDBOX = join(BUILD_DIR, 'sandbox-process.js');

/** The flags between `node` and the entry point in the image's CMD. */
function deployedNodeFlags(): string[] {
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync('deploy/Dockerfile', 'utf8'))![1]!) as string[];
  return cmd.slice(1, cmd.indexOf('dist/index.js'));
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** What the server said on stderr so far (ours only). */
  stderr?(): string;
}

/**
 * A helper process (the baseline, the sandbox) once `ready` finds what it needs in what the process wrote so far
 * on `stream`; it is stopped with SIGTERM.
 */
function startHelper<T>(name: string, args: string[], stream: 'stdout' | 'stderr', ready: (output: string) => T | undefined): Promise<{ pid: number; found: T; stop(): Promise<void> }> {
  const stdio: ['ignore', 'pipe' | 'ignore', 'pipe' | 'inherit'] = stream === 'stdout' ? ['ignore', 'pipe', 'inherit'] : ['ignore', 'ignore', 'pipe'];
  const child: ChildProcess = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '' }, stdio });
  let output = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${name} exited (${code}): ${output}`)));
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = ready(output);
      if (found !== undefined) resolve({ pid: child.pid!, found, stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) });
    });
  });
}

/** The baseline as a child process, like ours. */
async function startBaseline(): Promise<Server> {
  const { pid, found: url, stop } = await startHelper('baseline', [...SERVER_ARGS, BASELINE], 'stderr', (output) => /baseline at (\S+)/.exec(output)?.[1]);
  return { url, pid, stop };
}

/** The sandbox (standing in for Sinch) in its own process: the call to read and the env pointing at it. */
async function startSandboxProcess() {
  const parse = (output: string) => (output.includes('\n') ? (JSON.parse(output) as { callId: string; liveEnv: Record<string, string> }) : undefined);
  const { pid, found, stop } = await startHelper('sandbox', [...PROFILE_ARGS, SANDBOX], 'stdout', parse);
  return { pid, ...found, stop };
}

const ours = (remote: RemoteServer): Server => ({ url: remote.url, pid: remote.child.pid!, stop: () => remote.stop(), stderr: remote.stderr });

interface Tool {
  name: string;
  arguments: Record<string, unknown>;
}

interface Setup {
  key: string;
  label: string;
  tool: Tool;
  clients: Client[];
  pids: number[];
  /** What the setup needs besides the servers: the sandbox standing in for Sinch, and Redis. */
  besidePids: number[];
  latencies: number[];
  rates: number[];
  calls: number;
  errors: number;
  cpuMs: number;
  besideCpuMs: number;
  loadCpuMs: number;
  firstError?: string;
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks are 100 Hz). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const totalCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function call(client: Client, tool: Tool): Promise<void> {
  const result = await client.callTool(tool);
  if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 200));
}

/** Every client runs its own loop of `calls` calls, all loops at once; adds the figures to the setup. */
async function runRound(setup: Setup, calls: number, record: boolean): Promise<void> {
  const cpuBefore = totalCpuMs(setup.pids);
  const besideBefore = totalCpuMs(setup.besidePids);
  const loadBefore = process.cpuUsage();
  const loop = async (client: Client) => {
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      try {
        await call(client, setup.tool);
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
  setup.calls += setup.clients.length * calls;
  setup.rates.push((setup.clients.length * calls) / ((performance.now() - started) / 1000));
  setup.cpuMs += totalCpuMs(setup.pids) - cpuBefore;
  setup.besideCpuMs += totalCpuMs(setup.besidePids) - besideBefore;
  const load = process.cpuUsage(loadBefore);
  setup.loadCpuMs += (load.user + load.system) / 1000;
}

/** `count` sessions, at most OPEN_AT_ONCE opening at a time; those that could not open are counted, not thrown. */
async function openSessions(count: number, urlOf: (i: number) => string, tokens: string[]): Promise<{ clients: Client[]; failed: number; firstError?: string }> {
  const clients: Client[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const opener = async () => {
    for (let i = next++; i < count; i = next++) {
      try {
        clients.push(await httpClient(urlOf(i), tokens[i % tokens.length]!));
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message.slice(0, 200);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_AT_ONCE, count) }, opener));
  return { clients, failed, ...(firstError ? { firstError } : {}) };
}

function figures(setup: Setup) {
  return {
    sessions: setup.clients.length,
    calls: setup.calls,
    errors: setup.errors,
    throughputPerSecond: Math.round(percentile(setup.rates, 50)),
    latencyMs: { p50: round(percentile(setup.latencies, 50)), p99: round(percentile(setup.latencies, 99)) },
    /** CPU time (user + system) of the server process(es) per call: less sensitive to a busy machine than wall time. */
    serverCpuMsPerCall: round(setup.cpuMs / setup.calls),
    /** CPU time per call of what stands beside the servers on this machine: the sandbox for Sinch (ours), Redis (two instances). */
    besideCpuMsPerCall: round(setup.besideCpuMs / setup.calls),
    /** CPU time of this process (the clients) per call. */
    loadCpuMsPerCall: round(setup.loadCpuMs / setup.calls),
    ...(setup.firstError ? { firstError: setup.firstError } : {}),
  };
}

/** M sessions with their event streams on one server, then CAPACITY_CALLS calls from each at once. */
async function capacity(server: Server, tool: Tool, tokens: string[]) {
  const rssBefore = rssMiB(server.pid);
  const opened = await openSessions(CAPACITY_SESSIONS, () => server.url, tokens);
  const rssOpen = rssMiB(server.pid);
  let errors = 0;
  let firstError = opened.firstError;
  await Promise.all(
    opened.clients.map(async (client) => {
      for (let i = 0; i < CAPACITY_CALLS; i++) {
        await call(client, tool).catch((error: Error) => {
          errors++;
          firstError ??= `${error.message}${error.cause ? ` (${String((error.cause as Error).message ?? error.cause)})` : ''}`.slice(0, 200);
        });
      }
    }),
  );
  const rssAfter = rssMiB(server.pid);
  await Promise.allSettled(opened.clients.map(endSession));
  const warnings = (server.stderr?.() ?? '').split('\n').filter((line) => line.includes('WARNING: refused'));
  return {
    sessions: CAPACITY_SESSIONS,
    couldNotOpen: opened.failed,
    calls: opened.clients.length * CAPACITY_CALLS,
    errors,
    rssMiB: { before: round(rssBefore, 1), open: round(rssOpen, 1), afterCalls: round(rssAfter, 1) },
    /** Resident memory the open sessions added, per session (after their calls). */
    kibPerSession: Math.round(((rssAfter - rssBefore) * 1024) / CAPACITY_SESSIONS),
    ...(firstError ? { firstError } : {}),
    ...(warnings.length ? { serverSaid: warnings } : {}),
  };
}

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess();
  const { callId, liveEnv } = sandbox;
  const getCallResult: Tool = { name: 'get_call_result', arguments: { callId } };
  const echo: Tool = { name: 'echo', arguments: { text: 'x' } };

  // Throwaway tokens for this run (the servers see only their hashes), enough subjects that no one reaches the
  // per-subject session cap (20): session i uses token i mod TOKENS.
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const { file, tokens } = writeTokens(dir, 'sinch:read', Array.from({ length: TOKENS }, (_, i) => `bench-${i}`));
  // With the callback receiver on, sessions can be sent events at any time, so each holds its event stream, as
  // the baseline's do.
  const httpEnv = { ...liveEnv, SINCH_HTTP_TOKENS_FILE: file, SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: 'https://events.example/sinch/events' };
  const redis = await startRedisServer();
  const redisEnv = { ...httpEnv, SINCH_REDIS_URL: redis.url, SINCH_STATE_SECRET: randomBytes(32).toString('base64') };
  const servers: Server[] = [];
  const setups: Setup[] = [];
  let capacityFigures: Record<string, Awaited<ReturnType<typeof capacity>>> = {};
  try {
    // All servers run side by side and the rounds are interleaved, so a busy moment on a shared machine
    // falls on every setup alike.
    // The capacity runs get fresh processes of their own (idle until then), so their memory is the sessions'.
    const [baseline, one, freshBaseline, fresh, ...pair] = await Promise.all([
      startBaseline(),
      startRemote(httpEnv, SERVER_ARGS).then(ours),
      startBaseline(),
      startRemote(httpEnv, SERVER_ARGS).then(ours),
      startRemote(redisEnv, SERVER_ARGS).then(ours),
      startRemote(redisEnv, SERVER_ARGS).then(ours),
    ]);
    servers.push(baseline!, one!, freshBaseline!, fresh!, ...pair);
    const setup = async (key: string, label: string, tool: Tool, urlOf: (i: number) => string, pids: number[], besidePids: number[] = []) => {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== key) return;
      const { clients, failed, firstError } = await openSessions(SESSIONS, urlOf, tokens);
      if (failed) throw new Error(`${label}: ${failed} of ${SESSIONS} sessions could not open: ${firstError}`);
      setups.push({ key, label, tool, clients, pids, besidePids, latencies: [], rates: [], calls: 0, errors: 0, cpuMs: 0, besideCpuMs: 0, loadCpuMs: 0 });
    };
    await setup('baseline', 'SDK minimal server (one echo tool, no auth)', echo, () => baseline!.url, [baseline!.pid]);
    await setup('httpOneInstance', 'ours, one instance (memory state)', getCallResult, () => one!.url, [one!.pid], [sandbox.pid]);
    await setup('httpTwoInstancesRedis', 'ours, two instances on one Redis', getCallResult, (i) => pair[i % 2]!.url, pair.map((p) => p.pid), [sandbox.pid, redis.pid]);

    log(`${SESSIONS} concurrent sessions × ${CALLS_PER_SESSION} calls per setup, in ${ROUNDS} interleaved rounds`);
    for (const s of setups) await runRound(s, WARM_UP_CALLS, false);
    for (let r = 0; r < ROUNDS; r++) for (const s of setups) await runRound(s, Math.ceil(CALLS_PER_SESSION / ROUNDS), true);
    await Promise.allSettled(setups.flatMap((s) => s.clients.map(endSession)));

    log(`${CAPACITY_SESSIONS} sessions with event streams on one server`);
    capacityFigures = { baseline: await capacity(freshBaseline!, echo, tokens), httpOneInstance: await capacity(fresh!, getCallResult, tokens) };
  } finally {
    await Promise.allSettled(servers.map((server) => server.stop()));
    await redis.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const results = Object.fromEntries(setups.map((s) => [s.key, figures(s)]));
  // Each round of ours is compared with the baseline's round run just before it, and the median of those ratios
  // is reported: a shared machine's slow spell then falls on both sides of most comparisons.
  const baseRates = setups.find((s) => s.key === 'baseline')?.rates ?? [];
  const roundRatios = (key: string) => (setups.find((s) => s.key === key)?.rates ?? []).map((rate, r) => round(rate / (baseRates[r] ?? Number.NaN)));
  const ratio = (key: string) => percentile(roundRatios(key), 50);
  const output = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length },
    tools: { baseline: 'echo', ours: 'get_call_result (live mode against the loopback sandbox)' },
    sessions: SESSIONS,
    callsPerSession: CALLS_PER_SESSION,
    results,
    /** The (lower) median of the per-round ratios, and the ratios themselves. */
    ratioToBaseline: { httpOneInstance: ratio('httpOneInstance'), httpTwoInstancesRedis: ratio('httpTwoInstancesRedis') },
    ratioPerRound: { httpOneInstance: roundRatios('httpOneInstance'), httpTwoInstancesRedis: roundRatios('httpTwoInstancesRedis') },
    capacity: capacityFigures,
  };
  writeFileSync('bench/http-results.json', `${JSON.stringify(output, null, 2)}\n`);
  // The tables are this program's output (not an MCP server): stdout is right for them.
  const table = [
    `${SESSIONS} concurrent sessions × ${CALLS_PER_SESSION} calls each`,
    '| server | calls/s | × baseline, round by round (median) | p50 ms | p99 ms | server CPU ms/call | sandbox (+ Redis) CPU ms/call | clients CPU ms/call | errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...setups.map((s) => {
      const f = results[s.key]!;
      return `| ${s.label} | ${f.throughputPerSecond} | ${ratio(s.key)} | ${f.latencyMs.p50} | ${f.latencyMs.p99} | ${f.serverCpuMsPerCall} | ${f.besideCpuMsPerCall} | ${f.loadCpuMsPerCall} | ${f.errors}/${f.calls} |`;
    }),
    '',
    `${CAPACITY_SESSIONS} sessions at once on one server, each with its event stream, ${CAPACITY_CALLS} calls each`,
    '| server | could not open | call errors | RSS before → after MiB | KiB per session |',
    '|---|---|---|---|---|',
    ...Object.entries(capacityFigures).map(([key, c]) => `| ${key} | ${c.couldNotOpen} | ${c.errors}/${c.calls} | ${c.rssMiB.before} → ${c.rssMiB.afterCalls} | ${c.kibPerSession} |`),
  ];
  process.stdout.write(`${table.join('\n')}\n`);
  for (const s of setups) if (s.firstError) log(`${s.label}: first error: ${s.firstError}`);
  for (const [key, c] of Object.entries(capacityFigures)) {
    if (c.firstError) log(`capacity ${key}: first error: ${c.firstError}`);
    for (const line of c.serverSaid ?? []) log(`capacity ${key}: the server said: ${line}`);
  }
  const clean = Object.values(results).every((f) => f.errors === 0) && Object.values(capacityFigures).every((c) => c.errors === 0 && c.couldNotOpen === 0);
  process.exitCode = clean ? 0 : 1;
}

await main();
