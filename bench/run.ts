// The benchmark: every figure measured side by side in one run on this machine, printed as a table and
// written to bench/results.json. Run with `npm run bench` (it builds first).
import { readFileSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Agent } from 'undici';
import { CONTENT_TYPE } from '../src/sinch/client.js';
import { applicationAuthorization } from '../src/sinch/signing.js';
import { type RawServer, spawnRaw } from '../test/helpers/raw-stdio.js';
import { benchSandbox, log, percentile, round } from './common.js';

const OURS = 'dist/index.js';
const BASELINE = 'bench/.build/baseline/baseline.js';
const COLD_RUNS = 21;
const OVERHEAD_CALLS = 1_000;
const CONCURRENCY = 500;
const POOL_SIZE = 16;
const LIST_TOOLS_CALLS = 40;

const median = (xs: number[]) => percentile(xs, 50);
const mib = (kib: number) => kib / 1024;

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

async function stop(server: RawServer): Promise<void> {
  server.child.stdin.end();
  await Promise.race([server.exited, new Promise((r) => setTimeout(r, 2_000))]);
  server.child.kill('SIGKILL');
}

/** spawn -> initialize -> tools/list answered, in ms; plus RSS and the tool list. */
async function coldStart(file: string, env: Record<string, string>) {
  const started = performance.now();
  const server = spawnRaw(env, file);
  await server.initialize();
  const list = await server.request('tools/list', {});
  const ms = performance.now() - started;
  const rss = rssKiB(server.child.pid!);
  await stop(server);
  return { ms, rss, tools: list.result.tools as Array<{ name: string; description: string; inputSchema: unknown; outputSchema?: unknown }> };
}

/** The official SDK client, connected over stdio: what a real host pays for listTools(). */
async function sdkClient(file: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [file], env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'ignore' }));
  return client;
}

/** listTools() through the SDK client (it compiles every outputSchema it has not cached by $id), ours and baseline interleaved, in ms. */
async function listToolsCost(liveEnv: Record<string, string>) {
  const ours = await sdkClient(OURS, liveEnv);
  const baseline = await sdkClient(BASELINE, {});
  const times = { ours: [] as number[], baseline: [] as number[] };
  const timed = async (client: Client, into: number[]) => {
    const started = performance.now();
    await client.listTools();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < 5; i++) await Promise.all([ours.listTools(), baseline.listTools()]);
  for (let i = 0; i < LIST_TOOLS_CALLS; i++) {
    await timed(baseline, times.baseline);
    await timed(ours, times.ours);
  }
  // A fresh client and server's first listTools(), as a host pays it once per session (the validators
  // are not cached yet), ours and baseline interleaved.
  const first = { ours: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < 7; i++) {
    for (const [file, env, into] of [[BASELINE, {}, first.baseline], [OURS, liveEnv, first.ours]] as const) {
      const fresh = await sdkClient(file, env);
      await timed(fresh, into);
      await fresh.close();
    }
  }
  await Promise.all([ours.close(), baseline.close()]);
  return { ours: median(times.ours), baseline: median(times.baseline), firstCall: { ours: median(first.ours), baseline: median(first.baseline) } };
}

async function main(): Promise<void> {
  const { sandbox, callId, liveEnv } = await benchSandbox(POOL_SIZE);

  // 1. Cold start and memory, interleaved: baseline, ours (live), ours (sandbox mode).
  log(`cold start: ${COLD_RUNS} runs each, interleaved`);
  const cold = { baseline: [] as number[], live: [] as number[], sandbox: [] as number[] };
  const rss = { baseline: [] as number[], live: [] as number[], sandbox: [] as number[] };
  let tools: Awaited<ReturnType<typeof coldStart>>['tools'] = [];
  await coldStart(BASELINE, {}); // warm the file cache for both
  await coldStart(OURS, liveEnv);
  for (let i = 0; i < COLD_RUNS; i++) {
    const b = await coldStart(BASELINE, {});
    const l = await coldStart(OURS, liveEnv);
    const s = await coldStart(OURS, {});
    cold.baseline.push(b.ms);
    cold.live.push(l.ms);
    cold.sandbox.push(s.ms);
    rss.baseline.push(b.rss);
    rss.live.push(l.rss);
    rss.sandbox.push(s.rss);
    tools = l.tools;
  }

  // 2. Context cost: what every tool costs in the model's context, and what a client downloads and compiles to list them.
  const listBytes = Buffer.byteLength(JSON.stringify({ tools }));
  const outputSchemaBytes = tools.reduce((sum, t) => sum + Buffer.byteLength(JSON.stringify(t.outputSchema ?? {})), 0);
  log(`listTools through the SDK client: ${LIST_TOOLS_CALLS} calls each, interleaved`);
  const listTools = await listToolsCost(liveEnv);
  const contextBytes = tools.reduce((sum, t) => sum + JSON.stringify({ name: t.name, description: t.description, inputSchema: t.inputSchema }).length, 0);

  // 3. Call overhead: get_call_result through the stdio server minus a direct signed undici GET, interleaved.
  const server = spawnRaw(liveEnv, OURS);
  await server.initialize();
  const direct = new Agent({ keepAliveTimeout: 30_000 });
  const path = `/calling/v1/calls/id/${callId}`;
  const origin = new URL(sandbox.callingUrl).origin;
  const directGet = async (agent: Agent) => {
    const timestamp = new Date().toISOString();
    const authorization = applicationAuthorization(sandbox.app.key, sandbox.app.secret, { method: 'GET', body: '', contentType: CONTENT_TYPE, timestamp, path });
    const response = await agent.request({ origin, path, method: 'GET', headers: { 'content-type': CONTENT_TYPE, 'x-timestamp': timestamp, authorization } });
    const body = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`direct GET ${response.statusCode}`);
    return body;
  };
  const toolCall = async () => {
    const response = await server.request('tools/call', { name: 'get_call_result', arguments: { callId } });
    if (response.error || response.result.isError) throw new Error(JSON.stringify(response).slice(0, 200));
    return response;
  };
  log(`call overhead: ${OVERHEAD_CALLS} calls each, interleaved`);
  for (let i = 0; i < 100; i++) {
    await toolCall();
    await directGet(direct);
  }
  const viaMcp: number[] = [];
  const viaDirect: number[] = [];
  for (let i = 0; i < OVERHEAD_CALLS; i++) {
    let t = performance.now();
    await toolCall();
    viaMcp.push(performance.now() - t);
    t = performance.now();
    await directGet(direct);
    viaDirect.push(performance.now() - t);
  }
  await direct.destroy();

  // 4. Concurrency: 500 concurrent calls through one client vs 500 concurrent direct GETs, 5 rounds interleaved.
  log(`concurrency: ${CONCURRENCY} concurrent, 5 rounds each, interleaved`);
  const mcpRates: number[] = [];
  const directRates: number[] = [];
  let errors = 0;
  let peakServerConnections = 0;
  for (let round = 0; round < 5; round++) {
    // Let the previous direct round's sockets close, so only the server's pool is counted below.
    for (let waited = 0; sandbox.openConnections() > POOL_SIZE && waited < 3_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const poll = setInterval(() => {
      peakServerConnections = Math.max(peakServerConnections, sandbox.openConnections());
    }, 2);
    let t = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: CONCURRENCY }, () => toolCall()));
    mcpRates.push(CONCURRENCY / ((performance.now() - t) / 1000));
    clearInterval(poll);
    errors += outcomes.filter((o) => o.status === 'rejected').length;

    const agent = new Agent({ keepAliveTimeout: 30_000 });
    t = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, () => directGet(agent)));
    directRates.push(CONCURRENCY / ((performance.now() - t) / 1000));
    await agent.destroy();
  }

  // 5. Leak: RSS after 1 000 calls and after 10 000 calls (batches of 20 concurrent).
  log('leak: 10 000 calls');
  const batch = async (n: number) => {
    for (let done = 0; done < n; done += 20) await Promise.all(Array.from({ length: 20 }, () => toolCall()));
  };
  await batch(1_000);
  const rssAt1k = rssKiB(server.child.pid!);
  await batch(9_000);
  const rssAt10k = rssKiB(server.child.pid!);
  await stop(server);
  await sandbox.close();

  const coldRatio = median(cold.live) / median(cold.baseline);
  const results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    coldStartMs: {
      baseline: round(median(cold.baseline), 1),
      ours: round(median(cold.live), 1),
      oursSandboxMode: round(median(cold.sandbox), 1),
      ratio: round(coldRatio),
      ratioSandboxMode: round(median(cold.sandbox) / median(cold.baseline)),
      runs: COLD_RUNS,
    },
    rssMiB: { ours: round(mib(median(rss.live)), 1), oursSandboxMode: round(mib(median(rss.sandbox)), 1), baseline: round(mib(median(rss.baseline)), 1) },
    contextBytes,
    toolsListBytes: listBytes,
    outputSchemaBytes,
    sdkListToolsMs: { ours: round(listTools.ours), baseline: round(listTools.baseline), firstCall: { ours: round(listTools.firstCall.ours), baseline: round(listTools.firstCall.baseline) }, calls: LIST_TOOLS_CALLS },
    tools: tools.length,
    callOverheadMs: {
      median: round(median(viaMcp) - median(viaDirect), 3),
      p99: round(percentile(viaMcp, 99) - percentile(viaDirect, 99), 3),
      viaMcp: { median: round(median(viaMcp), 3), p99: round(percentile(viaMcp, 99), 3) },
      direct: { median: round(median(viaDirect), 3), p99: round(percentile(viaDirect, 99), 3) },
      calls: OVERHEAD_CALLS,
    },
    concurrency: {
      calls: CONCURRENCY,
      errors,
      throughputPerSecond: { ours: Math.round(median(mcpRates)), direct: Math.round(median(directRates)) },
      ratio: round(median(mcpRates) / median(directRates)),
      peakServerConnections,
      poolSize: POOL_SIZE,
    },
    leakMiB: { after1k: round(mib(rssAt1k), 1), after10k: round(mib(rssAt10k), 1), growth: round(mib(rssAt10k - rssAt1k), 1) },
  };
  const checks: Array<[string, string, string, boolean]> = [
    ['cold start', `${results.coldStartMs.ours} ms vs baseline ${results.coldStartMs.baseline} ms = ${results.coldStartMs.ratio}× (sandbox mode ${results.coldStartMs.ratioSandboxMode}×)`, '≤ 1.2×', coldRatio <= 1.2],
    ['memory (RSS after tools/list)', `${results.rssMiB.ours} MiB (sandbox mode ${results.rssMiB.oursSandboxMode}, baseline ${results.rssMiB.baseline})`, '≤ 60 MiB', results.rssMiB.ours <= 60],
    ['context cost', `${contextBytes} bytes for ${tools.length} tools`, '≤ 16 KB', contextBytes <= 16_000],
    ['tools/list size', `${listBytes} bytes (output schemas ${outputSchemaBytes})`, '≤ 20 KB', listBytes <= 20_000],
    ['SDK client listTools()', `median ${results.sdkListToolsMs.ours} ms vs one-tool baseline ${results.sdkListToolsMs.baseline} ms (a fresh session's first call: ${results.sdkListToolsMs.firstCall.ours} ms vs ${results.sdkListToolsMs.firstCall.baseline} ms)`, '≤ 15 ms', results.sdkListToolsMs.ours <= 15],
    ['call overhead', `median +${results.callOverheadMs.median} ms, p99 +${results.callOverheadMs.p99} ms`, '≤ 1 ms, ≤ 5 ms', results.callOverheadMs.median <= 1 && results.callOverheadMs.p99 <= 5],
    ['concurrency (500)', `${errors} errors, ${results.concurrency.throughputPerSecond.ours}/s vs direct ${results.concurrency.throughputPerSecond.direct}/s = ${results.concurrency.ratio}×, peak ${peakServerConnections} connections`, '0 errors, ≥ 0.5×, ≤ pool', errors === 0 && results.concurrency.ratio >= 0.5 && peakServerConnections <= POOL_SIZE],
    ['leak (10k − 1k calls)', `${results.leakMiB.growth} MiB (${results.leakMiB.after1k} → ${results.leakMiB.after10k})`, '≤ 10 MiB', results.leakMiB.growth <= 10],
  ];
  writeFileSync('bench/results.json', `${JSON.stringify({ ...results, checks: checks.map(([figure, measured, target, met]) => ({ figure, measured, target, met })) }, null, 2)}\n`);
  // The table is this program's output (not an MCP server): stdout is right for it.
  const table = ['| figure | measured | target | met |', '|---|---|---|---|', ...checks.map(([f, m, t, ok]) => `| ${f} | ${m} | ${t} | ${ok ? 'yes' : 'NO'} |`)];
  process.stdout.write(`${table.join('\n')}\n`);
  process.exitCode = checks.every((c) => c[3]) ? 0 : 1;
}

await main();
