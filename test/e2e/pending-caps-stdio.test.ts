// Issue 20: 130 parallel guarded callouts over stdio in page mode (the server opens the approval page, here
// through a BROWSER that does nothing): 20 wait for a person, the other 110 are refused at once naming the cap,
// and nothing reaches Sinch (the sandbox this test owns counts every request).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { liveEnv } from '../helpers/sandbox.js';
import { type StdioServer, spawnServer } from '../helpers/stdio.js';
import { until } from '../helpers/until.js';

let sandbox: Sandbox;
let server: StdioServer;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  dir = mkdtempSync(join(tmpdir(), 'sinch-caps-stdio-'));
  // A browser that "opens" the page and nobody ever decides.
  const browser = join(dir, 'browser.mjs');
  writeFileSync(browser, `#!${process.execPath}\n`);
  chmodSync(browser, 0o755);
  server = await spawnServer({ ...liveEnv(sandbox), SINCH_CONFIRMATION_MODE: 'page', BROWSER: browser, SINCH_MAX_CALLOUTS_PER_MINUTE: '1000' });
});
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the pending cap over stdio, page mode', () => {
  it('130 parallel callouts: 110 refused naming the cap, 20 wait, none is sent', async () => {
    const refused: string[] = [];
    for (let i = 0; i < 130; i++) {
      server.client
        .callTool({ name: 'tts_callout', arguments: { destination: '+46708168731', cli: '+14045005000', text: `Reminder ${i}` } }, undefined, { timeout: 600_000 })
        .then((result) => {
          if (result.isError) refused.push((result.content as Array<{ text: string }>)[0]!.text);
        })
        .catch(() => undefined); // the 20 waiting ones end when the server closes
    }
    await until(() => refused.length >= 110, { what: '110 refusals', timeoutMs: 20_000 });
    expect(refused).toHaveLength(110);
    expect(new Set(refused)).toEqual(
      new Set([
        "Refused: 20 of your actions already wait for a person's decision (at most 20 per caller). Have the waiting ones approved or denied, or let them expire (SINCH_CONFIRM_TIMEOUT_MS), then call again. Nothing was done.",
      ]),
    );
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
