// `npm run deploy:check`: runs deploy/nginx.conf and deploy/mcp-upstreams.conf for real, without Docker, on
// loopback: the local nginx (Debian's package) in front of two instances of the built server sharing a real
// redis-server. Only the addresses are rewritten (instance names -> 127.0.0.1 ports, log files -> a temp dir).
// Proves the routing a team deployment needs: every session's requests, including the client's answers to
// form elicitation, reach the instance holding the session; callbacks, approval pages and metadata reach any
// instance; no token appears in nginx's access log. Each instance runs its own embedded sandbox.
import { randomBytes } from 'node:crypto';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type RemoteServer, endSession, httpClient, startRemote, writeTokens } from '../test/helpers/remote.js';
import { freePort, startRedisServer } from '../test/helpers/redis.js';

const SESSIONS = 12;
const READS_PER_SESSION = 10;

/** The shipped config with loopback addresses; `hashKey` replaces the affinity key (to test the fallback). */
function nginxConfig(dir: string, listen: number, upstreams: Record<string, number>, hashKey?: string): string {
  let up = readFileSync('deploy/mcp-upstreams.conf', 'utf8');
  if (hashKey) up = up.replace('hash $http_authorization consistent;', `hash ${hashKey} consistent;`);
  for (const [name, port] of Object.entries(upstreams)) up = up.replaceAll(`${name}:8080`, `127.0.0.1:${port}`);
  writeFileSync(join(dir, 'mcp-upstreams.conf'), up);
  const conf = readFileSync('deploy/nginx.conf', 'utf8')
    .replace('include /etc/nginx/mcp-upstreams.conf;', `include ${join(dir, 'mcp-upstreams.conf')};`)
    .replace('listen 8080;', `listen 127.0.0.1:${listen};`)
    .replace('access_log /dev/stdout;', `access_log ${join(dir, 'access.log')};`)
    .replace('error_log /dev/stderr warn;', `error_log ${join(dir, 'error.log')} warn;`);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

/** One person's session through the proxy: a callout confirmed in the form dialog, then reads of that call. */
async function session(url: string, token: string, counts: { elicited: number }): Promise<void> {
  const client: Client = await httpClient(url, token, { elicitation: { form: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => {
    counts.elicited++;
    return { action: 'accept', content: { confirm: true } };
  });
  try {
    const callout = await client.callTool({ name: 'tts_callout', arguments: { destination: '+46708168731', cli: '+14045005000', text: 'Deploy check.' } });
    const callId = (callout.structuredContent as { result?: { callId?: string } } | undefined)?.result?.callId;
    if (!callId) throw new Error(`callout: ${JSON.stringify(callout.content).slice(0, 300)}`);
    for (let i = 0; i < READS_PER_SESSION; i++) {
      const read = await client.callTool({ name: 'get_call_result', arguments: { callId } });
      if (read.isError) throw new Error(`get_call_result: ${JSON.stringify(read.content).slice(0, 300)}`);
    }
  } finally {
    await endSession(client).catch(() => undefined);
  }
}

async function stopNginx(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  const redis = await startRedisServer();
  const instances: RemoteServer[] = [];
  let nginx: ChildProcess | undefined;
  const checks: Array<[string, boolean, string]> = [];
  try {
    const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${proxyPort}`;
    const names = ['alice', 'bob', 'carol'];
    const { file, tokens } = writeTokens(dir, 'sinch:call', names);
    const env = {
      SINCH_HTTP_TOKENS_FILE: file,
      SINCH_HTTP_PUBLIC_URL: `${publicUrl}/mcp`,
      SINCH_CALLBACK_PORT: '0',
      SINCH_CALLBACK_PUBLIC_URL: `${publicUrl}/sinch/events`,
      SINCH_REDIS_URL: redis.url,
      SINCH_STATE_SECRET: randomBytes(32).toString('base64'),
      SINCH_CONFIRMATION_MODE: 'form',
      SINCH_MAX_CALLOUTS_PER_MINUTE: '100',
    };
    instances.push(...(await Promise.all([portA, portB].map((port) => startRemote({ ...env, SINCH_HTTP_PORT: String(port) })))));
    const upstreams = { 'mcp-a': portA, 'mcp-b': portB };
    const pid = `pid ${join(dir, 'nginx.pid')};`;
    const runNginx = async (hashKey?: string) => {
      const config = nginxConfig(dir, proxyPort, upstreams, hashKey);
      execFileSync('nginx', ['-t', '-q', '-c', config, '-g', pid], { stdio: 'inherit' });
      const child = spawn('nginx', ['-c', config, '-g', `${pid} daemon off;`], { stdio: 'inherit' });
      for (let waited = 0; waited < 5_000; waited += 100) {
        if (await fetch(`${publicUrl}/.well-known/oauth-protected-resource`).then((r) => r.ok, () => false)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return child;
    };
    const sessions = async (label: string) => {
      const counts = { elicited: 0 };
      const outcomes = await Promise.allSettled(Array.from({ length: SESSIONS }, (_, i) => session(`${publicUrl}/mcp`, tokens[i % tokens.length]!, counts)));
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      const firstFailure = failed[0] ? `; first failure: ${String(failed[0].reason?.message ?? failed[0].reason).slice(0, 200)}` : '';
      checks.push([label, failed.length === 0 && counts.elicited === SESSIONS, `${SESSIONS - failed.length} ok, ${counts.elicited} dialogs${firstFailure}`]);
    };

    // The 404 fallback alone: every request hashed to a random instance, so about half land on the wrong one.
    nginx = await runNginx('$request_id');
    await sessions(`${SESSIONS} sessions, affinity key replaced by a random one: the 404 retry alone finds each session`);
    await stopNginx(nginx);
    // The shipped config.
    nginx = await runNginx();
    await sessions(`${SESSIONS} sessions through nginx: callout confirmed by form elicitation, then ${READS_PER_SESSION} reads each`);

    const status = async (path: string, init?: RequestInit) => (await fetch(`${publicUrl}${path}`, init)).status;
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    const expect = async (label: string, path: string, wanted: number, init?: RequestInit) => {
      const got = await status(path, init);
      checks.push([label, got === wanted, `HTTP ${got}, expected ${wanted}`]);
    };
    await expect('/mcp without a token is refused', '/mcp', 401, post);
    // Static tokens: there is no authorization server to point at, so no metadata is advertised (404).
    await expect('no protected-resource metadata with static tokens', '/.well-known/oauth-protected-resource', 404);
    await expect('/approve/ reaches an instance (unknown approval)', `/approve/${'A'.repeat(43)}`, 404);
    await expect('/sinch/events reaches the receiver (unsigned callback refused)', '/sinch/events', 401, post);
    const log = readFileSync(join(dir, 'access.log'), 'utf8');
    checks.push(['no token in the access log', !tokens.some((token) => log.includes(token)), `${log.split('\n').length - 1} lines checked`]);
  } finally {
    if (nginx) await stopNginx(nginx);
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // This program's report (not an MCP server): stdout is right for it.
  process.stdout.write(`${checks.map(([label, ok, detail]) => `${ok ? 'ok  ' : 'FAIL'} ${label}: ${detail}`).join('\n')}\n`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

await main();
