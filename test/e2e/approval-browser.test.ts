// The built server in a client without elicitation (Claude Desktop's case): the server opens the approval
// page through BROWSER (here a script that records the URL), and a real headless Chromium (Debian's package,
// driven by playwright-core) reads it and clicks. The sandbox this test owns counts what reaches "Sinch".
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { decide } from '../helpers/approval.js';
import { type StdioServer, spawnServer } from '../helpers/stdio.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

// The README's screenshot is this test's: `UPDATE_SCREENSHOTS=1 npm test` rewrites it; otherwise it goes to a temp dir.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS ? 'docs/approval-page.png' : join(tmpdir(), `sinch-approval-page-${process.pid}.png`);

let sandbox: Sandbox;
let server: StdioServer;
let browser: Browser;
let urlLog: string;

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  const dir = mkdtempSync(join(tmpdir(), 'sinch-browser-'));
  urlLog = join(dir, 'urls.log');
  writeFileSync(urlLog, '');
  // Stands in for the person's browser opener: records each URL it is asked to open.
  const recorder = join(dir, 'record-url.mjs');
  writeFileSync(recorder, `#!${process.execPath}\nimport { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(urlLog)}, process.argv[2] + '\\n');\n`);
  chmodSync(recorder, 0o755);
  server = await spawnServer({
    ...liveEnv(sandbox),
    SINCH_CONFIRMATION_MODE: 'auto',
    BROWSER: recorder,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

const recordedUrls = () => readFileSync(urlLog, 'utf8').split('\n').filter(Boolean);

/** The browser is handed a private file (never the page URL itself); the page URL is inside it. */
async function nextUrl(count: number): Promise<string> {
  await until(() => recordedUrls().length >= count, { what: `the browser to be handed page ${count}`, timeoutMs: 10_000 });
  const opened = recordedUrls();
  expect(opened).toHaveLength(count);
  const file = fileURLToPath(opened[count - 1]!);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  return /url=([^"]+)"/.exec(readFileSync(file, 'utf8'))![1]!.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
}

function callTool(name: string, args: Record<string, unknown>) {
  return server.client.callTool({ name, arguments: args }).then((result) => ({
    isError: result.isError as boolean | undefined,
    text: (result.content as Array<{ text: string }>)[0]!.text,
    raw: JSON.stringify(result),
    structured: (result.structuredContent ?? {}) as Record<string, any>,
  }));
}

const CALLOUT = { destination: '+46 70 816 87 31', cli: '+1 404 500 5000', text: 'Hi Anna, the 10:00 stand-up moved to room Atlas. Press nothing; just join when you can.' };

describe('approval page in a real browser', () => {
  it('shows the whole action; Approve sends exactly one request and the tool returns done; the model never sees the URL', async () => {
    const pending = callTool('tts_callout', CALLOUT);
    const url = await nextUrl(1);
    expect(sandbox.requests).toHaveLength(0);

    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    // As the person's browser does: open the file it was given, which forwards to the page.
    await page.goto(recordedUrls()[0]!);
    await page.waitForURL(url);
    const pageTokenSeen = await page.locator('input[name=token]').getAttribute('value') ?? '';
    const text = await page.locator('main').innerText();
    expect(text).toContain('This rings a real phone and is billed.');
    expect(text).toContain('+46 70 816 87 31, Sweden, mobile');
    expect(text).toContain('"+14045005000"');
    expect(text).toContain(CALLOUT.text);
    await page.waitForFunction(() => document.activeElement?.textContent === 'Deny');
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('You approved this action').waitFor();
    const result = await pending;
    expect(result.structured.status).toBe('done');
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /calling/v1/callouts']);
    expect(result.raw).not.toContain(new URL(url).pathname.split('/').pop()!);
    expect(server.stderr()).not.toContain(new URL(url).pathname.split('/').pop()!);

    // The page now shows the outcome and has nothing left to click; a replayed post changes nothing.
    await page.goto(url);
    expect(await page.locator('main').innerText()).toContain('You approved this action');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const replay = await decide(url, 'approve', { token: pageTokenSeen });
    expect(replay.status).toBe(409);
    expect(replay.body).toContain('Already decided');
    await page.close();
    expect(sandbox.requests).toHaveLength(1);
  });

  it('Deny (the default, by keyboard) sends nothing; forged posts send nothing, and a model-relayed token only brings a new page', async () => {
    const pending = callTool('tts_callout', CALLOUT);
    const url = await nextUrl(2);
    expect((await decide(url, 'approve', { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await decide(url, 'approve', { token: 'A'.repeat(43) })).status).toBe(403);
    expect((await decide(url, 'approve', { host: 'rebound.example.com' })).status).toBe(421);

    const page = await browser.newPage();
    await page.goto(url);
    // Deny has the focus by default (autofocus is applied with the first rendering, so wait for it).
    await page.waitForFunction(() => document.activeElement?.textContent === 'Deny');
    await page.keyboard.press('Enter');
    await page.getByText('You denied this action').waitFor();
    await page.close();
    const result = await pending;
    expect(result.structured.status).toBe('declined');

    // A token from the model stands in for nobody: it is dropped, and a person is asked again.
    const relayed = callTool('tts_callout', { ...CALLOUT, confirmationToken: 'ct_from_the_model' });
    const again = await browser.newPage();
    await again.goto(await nextUrl(3));
    await again.getByRole('button', { name: 'Deny' }).click();
    await again.getByText('You denied this action').waitFor();
    await again.close();
    expect((await relayed).structured.status).toBe('declined');
    expect(sandbox.requests).toHaveLength(1);
  });
});
