// The sandbox secret is random per run: `npm run sandbox` prints a fresh one each time, and a callback
// signed with the secret that used to be published is refused by the bin's receiver in sandbox mode.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_APP_KEY } from '../../src/sandbox/app.js';
import { endpoints } from '../../src/sinch/endpoints.js';
import { SinchClient } from '../../src/sinch/client.js';
import { applicationAuthorization } from '../../src/sinch/signing.js';
import { spawnServer } from '../helpers/stdio.js';
import { until } from '../helpers/until.js';

/** The secret the README and src/sandbox/app.ts published before it became random. */
const OLD_PUBLISHED_SECRET = 'c2luY2gtY2FsbGluZy1tY3Agc2FuZGJveCBzZWNyZXQh';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Starts dist/sandbox-cli.js (what `npm run sandbox` runs) and reads the settings it prints. */
function runSandboxCli(): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', SINCH_SANDBOX_PORT: '0' };
    const child = spawn(process.execPath, ['dist/sandbox-cli.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const settings = Object.fromEntries([...out.matchAll(/^\s+(SINCH_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      if (settings.SINCH_APPLICATION_SECRET) resolve(settings);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before printing its settings: ${out}`)));
  });
}

function clientFor(settings: Record<string, string>, secret: string): SinchClient {
  return new SinchClient({
    callingUrl: settings.SINCH_CALLING_URL!,
    managementUrl: settings.SINCH_MANAGEMENT_URL!,
    credentials: { key: settings.SINCH_APPLICATION_KEY!, secret },
    auth: 'signed',
    timeoutMs: 3_000,
    maxConnections: 1,
  });
}

describe('random sandbox secret', () => {
  it('two runs of the standalone sandbox print different secrets, each of which opens only its own sandbox', async () => {
    const [first, second] = await Promise.all([runSandboxCli(), runSandboxCli()]);
    for (const settings of [first!, second!]) {
      expect(settings.SINCH_APPLICATION_KEY).toBe(SANDBOX_APP_KEY);
      expect(Buffer.from(settings.SINCH_APPLICATION_SECRET!, 'base64')).toHaveLength(32);
      expect(settings.SINCH_APPLICATION_SECRET).not.toBe(OLD_PUBLISHED_SECRET);
    }
    expect(first!.SINCH_APPLICATION_SECRET).not.toBe(second!.SINCH_APPLICATION_SECRET);

    const own = clientFor(first!, first!.SINCH_APPLICATION_SECRET!);
    const other = clientFor(first!, second!.SINCH_APPLICATION_SECRET!);
    const old = clientFor(first!, OLD_PUBLISHED_SECRET);
    try {
      expect(await own.send(endpoints.listNumbers())).toBeDefined();
      await expect(other.send(endpoints.listNumbers())).rejects.toThrow(/401/);
      await expect(old.send(endpoints.listNumbers())).rejects.toThrow(/401/);
    } finally {
      await Promise.all([own.close(), other.close(), old.close()]);
    }
  });

  it('the receiver in sandbox mode refuses a callback signed with the old published secret', async () => {
    const server = await spawnServer({ SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: 'https://tunnel.example.test/sinch/events' });
    try {
      const localUrl = await until(() => /callback receiver on (http:\/\/127\.0\.0\.1:\d+\/sinch\/events)/.exec(server.stderr())?.[1], {
        what: 'the receiver URL on stderr',
      });
      expect(localUrl).toBeDefined();
      const body = JSON.stringify({ event: 'dice', callid: 'forged-call', reason: 'CALLEEHANGUP' });
      const timestamp = new Date().toISOString();
      const contentType = 'application/json';
      const authorization = applicationAuthorization(SANDBOX_APP_KEY, OLD_PUBLISHED_SECRET, { method: 'POST', body, contentType, timestamp, path: '/sinch/events' });
      const response = await fetch(localUrl, { method: 'POST', body, headers: { 'content-type': contentType, 'x-timestamp': timestamp, authorization } });
      expect(response.status).toBe(401);
      // Nothing was stored: the receiver's recent events are empty.
      const recent = await server.client.readResource({ uri: 'sinch://events/recent' });
      expect(JSON.parse((recent.contents[0] as { text: string }).text)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
