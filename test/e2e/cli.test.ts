// The built bin's command line and start-up: --help, --version, --flag value, restrictions that only tighten,
// client placeholders, print-config in sandbox mode, and configuration problems that stop it at start.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, nonProtocolLines, spawnRaw } from '../helpers/raw-stdio.js';
import { SERVER_BIN } from '../helpers/stdio.js';
import { until } from '../helpers/until.js';

const execFileAsync = promisify(execFile);
const SECRET = 'Y2FuYXJ5LXNlY3JldC12YWx1ZQ==';
const LIVE = { SINCH_APPLICATION_KEY: 'live-key-1234', SINCH_APPLICATION_SECRET: SECRET };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bin to completion with only PATH and `env` in its environment. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [SERVER_BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: RawServer | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

describe('--help and --version', () => {
  it('--help explains the server, every flag and every variable the README documents, on stdout, exit 0', async () => {
    const help = await run(['--help'], { SINCH_APPLICATION_KEY: 'only-one-set' });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^sinch-calling-mcp \d+\.\d+\.\d+: an MCP server \(stdio\) for the Sinch Calling API v1/);
    const readme = readFileSync('README.md', 'utf8');
    const configuration = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Tools'));
    const variables = [...new Set(configuration.match(/SINCH_[A-Z_]+/g))];
    expect(variables.length).toBeGreaterThan(20);
    for (const variable of variables) expect(help.stdout).toMatch(new RegExp(`^  ${variable} +\\S`, 'm'));
    const flags = [...new Set(configuration.match(/--[a-z][a-z-]+/g))].filter((flag) => flag !== '--secret'); // --secret: the refused example
    for (const flag of flags) expect(help.stdout).toContain(flag);
  });

  it('--version prints the package version, exit 0', async () => {
    const version = await run(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`, stderr: '' });
  });
});

describe('flags', () => {
  it('take --flag value as well as --flag=value', async () => {
    const { code, stdout } = await run(['--print-config', '--toolsets', 'calls,conferences', '--max-callouts-per-minute', '3', '--allowed-destinations=+46']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^toolsets: +calls, conferences$/m);
    expect(stdout).toMatch(/^callout rate cap: +3 per minute$/m);
    expect(stdout).toMatch(/^allowed callouts: +\+46$/m);
  });

  it('a switch never swallows the next argument: --read-only false is refused, with the form to use', async () => {
    const { code, stderr, stdout } = await run(['--read-only', 'false']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['sinch-calling-mcp: "false": unexpected argument. --read-only is a switch: write --read-only=false.']);
  });

  it('SINCH_REDIS_URL without SINCH_STATE_SECRET, or with one under 32 bytes: one line naming it, exit 2, the secret never echoed', async () => {
    const redis = { SINCH_REDIS_URL: 'redis://127.0.0.1:1' };
    const short = 'a-short-state-secret';
    for (const [env, pattern] of [
      [redis, /^sinch-calling-mcp: SINCH_STATE_SECRET is missing: with SINCH_REDIS_URL set/],
      [{ ...redis, SINCH_STATE_SECRET: short }, /^sinch-calling-mcp: SINCH_STATE_SECRET is too short: .*at least 32 bytes/],
    ] as const) {
      for (const args of [[], ['--print-config']]) {
        const result = await run(args, env);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
        expect(result.stderr).not.toContain(short);
      }
    }
    const flag = await run(['--state-secret', 'x'.repeat(40)], redis);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--state-secret: credentials and secrets are read only from the environment/);
    const printed = await run(['--print-config'], { ...redis, SINCH_STATE_SECRET: 's'.repeat(40) });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/SINCH_STATE_SECRET set\)/);
    expect(printed.stdout).not.toContain('s'.repeat(40));
  });

  it('cannot loosen the environment: empty or placeholder restriction flags stop the server, naming the flag', async () => {
    const strict = { SINCH_READ_ONLY: 'true', SINCH_ALLOWED_DESTINATIONS: '+46', SINCH_MAX_CALLOUTS_PER_MINUTE: '1' };
    for (const [flag, pattern] of [
      ['--read-only=', /^sinch-calling-mcp: --read-only is empty, which is not "no restriction"/],
      ['--allowed-destinations=', /^sinch-calling-mcp: --allowed-destinations is empty/],
      ['--toolsets=', /^sinch-calling-mcp: --toolsets is empty/],
      ['--max-callouts-per-minute=', /^sinch-calling-mcp: --max-callouts-per-minute is empty/],
      ['--read-only=${SINCH_READ_ONLY}', /^sinch-calling-mcp: --read-only=\$\{SINCH_READ_ONLY\} is an unexpanded placeholder/],
    ] as const) {
      const result = await run([flag], strict);
      expect(result.code, flag).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stdout).toBe('');
    }
  });

  it('the stricter of environment and flag wins', async () => {
    const { stdout } = await run(['--print-config', '--read-only=false', '--allowed-destinations', '+4670,+1', '--max-callouts-per-minute=50', '--toolsets', 'all'], {
      SINCH_READ_ONLY: 'true',
      SINCH_ALLOWED_DESTINATIONS: '+46',
      SINCH_MAX_CALLOUTS_PER_MINUTE: '2',
      SINCH_TOOLSETS: 'calls,lookup',
    });
    expect(stdout).toMatch(/^read-only: +true$/m);
    expect(stdout).toMatch(/^toolsets: +lookup, calls$/m);
    expect(stdout).toMatch(/^allowed callouts: +\+4670$/m);
    expect(stdout).toMatch(/^callout rate cap: +2 per minute$/m);
  });
});

describe('live mode without an allow-list', () => {
  it('warns once on stderr at start, and --print-config shows it', async () => {
    server = spawnRaw({ ...LIVE, SINCH_CALLING_URL: 'http://127.0.0.1:9/calling/v1', SINCH_MANAGEMENT_URL: 'http://127.0.0.1:9/v1' });
    await server.initialize();
    await until(() => server!.stderr().includes('live mode:'), { what: 'the start-up line', timeoutMs: 10_000 });
    expect(server.stderr().match(/WARNING: live mode without an allow-list/g)).toHaveLength(1);
    expect(server.stderr()).not.toContain(SECRET);

    const printed = await run(['--print-config'], LIVE);
    expect(printed.stdout).toMatch(/^warnings:\n {4}WARNING: live mode without an allow-list: callouts may dial any number/m);

    const limited = await run(['--print-config'], { ...LIVE, SINCH_ALLOWED_DESTINATIONS: '+46' });
    expect(limited.stdout).not.toMatch(/warnings:/);
  });
});

describe('placeholders a client passed through unexpanded', () => {
  it.each(['${user_config.application_secret}', '${env:SINCH_APPLICATION_SECRET}', '${input:sinch-secret}', '${SINCH_APPLICATION_SECRET}', '${SINCH_APPLICATION_SECRET:-}'])(
    'credentials given as %s: sandbox mode, not exit 2',
    async (form) => {
      const { code, stdout } = await run(['--print-config'], { SINCH_APPLICATION_KEY: form.replace(/SECRET/g, 'KEY').replace(/secret/g, 'key'), SINCH_APPLICATION_SECRET: form });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^mode: +sandbox/m);
      expect(stdout).toMatch(/^ {4}SINCH_APPLICATION_KEY holds the unexpanded placeholder \$\{/m);
      expect(stdout).toMatch(/^ {4}SINCH_APPLICATION_SECRET holds the unexpanded placeholder; treated as not set/m);
    },
  );

  it('serving: every form counts as unset, one stderr warning per variable, tools still served', async () => {
    const forms = {
      SINCH_APPLICATION_KEY: '${user_config.application_key}',
      SINCH_APPLICATION_SECRET: '${env:SINCH_APPLICATION_SECRET}',
      SINCH_CLI: '${input:sinch-cli}',
      SINCH_DEFAULT_COUNTRY: '${SINCH_DEFAULT_COUNTRY}',
      SINCH_CALLING_URL: '${SINCH_CALLING_URL:-https://calling.api.sinch.com/calling/v1}',
    };
    server = spawnRaw(forms);
    await server.initialize();
    const tools = await server.request('tools/list', {});
    expect(tools.result.tools.length).toBeGreaterThan(10);
    await until(() => server!.stderr().includes('sandbox mode:'), { what: 'the start-up line', timeoutMs: 10_000 });
    const warnings = server.stderr().split('\n').filter((line) => line.includes('unexpanded placeholder'));
    expect(warnings).toHaveLength(5);
    for (const name of Object.keys(forms)) expect(warnings.filter((line) => line.startsWith(`sinch-calling-mcp: ${name} holds`))).toHaveLength(1);
    expect(nonProtocolLines(server.stdout())).toEqual([]);
  });
});

describe('--print-config --http', () => {
  it('describes remote mode\'s confirmation route as it is: URL elicitation or a relayed link, never the dialog unless forced', async () => {
    const env = { SINCH_HTTP_TOKENS_FILE: '/etc/sinch/tokens' };
    const { code, stdout } = await run(['--print-config', '--http'], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^confirmations: +auto: URL elicitation to the approval page on this service \(the approver signs in\), else the tool answers confirmation_required with that link for the model to relay and is called again with its reference once approved; a person has \d+ ms to answer$/m,
    );
    expect(stdout).toMatch(/^approval page: +on the remote-mode port at \/approve\//m);
    expect(stdout).toMatch(/^pending approvals: +at most 20 per caller and 200 per instance \(pages, links and tokens alike\)$/m);
    const forced = await run(['--print-config', '--http'], { ...env, SINCH_CONFIRMATION_MODE: 'form' });
    expect(forced.stdout).toMatch(/^confirmations: +form: always the client's form dialog \(forced: whoever holds the client's token can accept it\)/m);
  });
});

describe('--print-config in sandbox mode', () => {
  it('says URL overrides and the region are ignored instead of listing them as in use, and shows the confirmation set-up', async () => {
    const { code, stdout } = await run(['--print-config'], {
      SINCH_CALLING_URL: 'https://calling-euc1.api.sinch.com/calling/v1',
      SINCH_MANAGEMENT_URL: 'https://callingapi.sinch.com/v1',
      SINCH_REGION: 'euc1',
      SINCH_CONFIRMATION_MODE: 'token',
      SINCH_APPROVAL_PORT: '8789',
      SINCH_STATE_FILE: '/tmp/sinch-state.json',
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^region: +\(ignored in sandbox mode\)$/m);
    expect(stdout).toMatch(/^calling URL: +embedded sandbox on 127\.0\.0\.1 \(URL overrides are ignored in sandbox mode\)$/m);
    expect(stdout).toMatch(/^management URL: +embedded sandbox on 127\.0\.0\.1/m);
    expect(stdout).not.toMatch(/^(calling|management) URL: +https:/m);
    expect(stdout).toContain('SINCH_CALLING_URL and SINCH_MANAGEMENT_URL ignored in sandbox mode');
    expect(stdout).toMatch(/^confirmations: +token: the model relays a single-use token: this does NOT prove a person agreed/m);
    expect(stdout).toMatch(/^approval page: +127\.0\.0\.1:8789/m);
    expect(stdout).toMatch(/^call state: +kept in \/tmp\/sinch-state\.json/m);

    const auto = await run(['--print-config']);
    expect(auto.stdout).toMatch(/^confirmations: +auto: the client's form dialog, else the approval card in the chat \(MCP Apps\), else URL elicitation, else an approval page opened in the person's browser/m);
    expect(auto.stdout).toMatch(/^call state: +memory only/m);
  });
});

describe('fails at start, not at the first tool call', () => {
  it('SINCH_SANDBOX_PORT already in use: one clear line, exit 2', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      server = spawnRaw({ SINCH_SANDBOX_PORT: String(port) });
      const exit = await server.exited;
      expect(exit.code).toBe(2);
      expect(server.stderr().trim().split('\n')).toEqual([`sinch-calling-mcp: SINCH_SANDBOX_PORT=${port} is already in use; choose a free port, or 0 for any free port.`]);
      expect(server.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each([
    ['SINCH_HTTP_PORT', (port: number, tokens: string) => ({ SINCH_HTTP: 'true', SINCH_HTTP_PORT: String(port), SINCH_HTTP_TOKENS_FILE: tokens })],
    ['SINCH_CALLBACK_PORT', (port: number) => ({ SINCH_CALLBACK_PORT: String(port), SINCH_CALLBACK_PUBLIC_URL: 'https://tunnel.example.test/sinch/events' })],
    // Bound at start (not probed): the page server itself still loads only when a person is first asked.
    ['SINCH_APPROVAL_PORT', (port: number) => ({ SINCH_APPROVAL_PORT: String(port) })],
  ])('%s already in use: one line naming it, exit 2, at start', async (variable, envFor) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'sinch-ports-'));
    try {
      const port = (taken.address() as AddressInfo).port;
      const tokens = join(dir, 'tokens');
      writeFileSync(tokens, `${'a'.repeat(64)} sinch:read ops\n`);
      server = spawnRaw(envFor(port, tokens));
      const exit = await server.exited;
      expect(exit.code).toBe(2);
      expect(server.stderr().trim().split('\n')).toEqual([`sinch-calling-mcp: ${variable}=${port} is already in use; choose a free port, or 0 for any free port.`]);
      expect(server.stdout()).toBe('');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a free SINCH_SANDBOX_PORT is bound at start, before any tool call', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    server = spawnRaw({ SINCH_SANDBOX_PORT: String(port) });
    await server.initialize();
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/v1/configuration/numbers' }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end(),
    );
    expect(status).toBe(401); // the sandbox answers (unsigned request refused)
  });

  it('SINCH_DEFAULT_COUNTRY=XX (unknown to the phone library): one clear line, exit 2; SE starts', async () => {
    const bad = await run([], { SINCH_DEFAULT_COUNTRY: 'XX' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'sinch-calling-mcp: SINCH_DEFAULT_COUNTRY="XX" is not a country the phone-number library knows; use an ISO 3166-1 alpha-2 code such as SE or US.',
    ]);
    expect(bad.stdout).toBe('');
    const good = await run(['--print-config'], { SINCH_DEFAULT_COUNTRY: 'se' });
    expect(good.stdout).toMatch(/^default country: +SE$/m);
  });
});

describe('npm start --silent', () => {
  it('writes only JSON-RPC to stdout (npm banner off); the build step is skipped here with --ignore-scripts', async () => {
    const npm = spawn('npm', ['start', '--silent', '--ignore-scripts'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: 'pipe' });
    let stdout = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    npm.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'npm', version: '0' } } })}\n`);
    try {
      await until(() => stdout.includes('"id":1'), { what: 'the initialize answer', timeoutMs: 20_000 });
      expect(nonProtocolLines(stdout)).toEqual([]);
      expect(JSON.parse(stdout.split('\n')[0]!).result.serverInfo.name).toBe('sinch-calling-mcp');
    } finally {
      npm.stdin.end();
      await new Promise((resolve) => npm.on('exit', resolve));
    }
  }, 30_000);
});
