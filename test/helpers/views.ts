// A test host for the in-chat views: Chromium with the official host library (test/helpers/view-host/host.ts),
// each view read from the real server with resources/read and rendered as a host renders it, its tool calls
// passed on to that server through the test's MCP client. Used by test/e2e/views-browser.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { build } from 'esbuild';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

/** Host theme variables, light and dark, as a host passes them in hostContext.styles.variables. */
const HOST_STYLES = {
  '--color-background-primary': 'light-dark(#ffffff, #262624)',
  '--color-background-secondary': 'light-dark(#f5f4ed, #30302e)',
  '--color-text-primary': 'light-dark(#141413, #faf9f5)',
  '--color-text-secondary': 'light-dark(#5e5d59, #c2c0b6)',
  '--color-border-primary': 'light-dark(#dedcd1, #4a4a44)',
  '--font-sans': 'system-ui, sans-serif',
  '--border-radius-md': '10px',
};

export interface OpenView {
  page: Page;
  /** The view's own document, for clicks and reading. */
  frame: FrameLocator;
  /** ui/open-link, ui/update-model-context and ui/message, as the view asked them. */
  hostRequests: Array<{ method: string; params: any }>;
  /** Every height the view reported (ui/notifications/size-changed). */
  sizes: number[];
  input(args: Record<string, unknown>): Promise<void>;
  result(result: unknown): Promise<void>;
  teardown(): Promise<void>;
  text(): Promise<string>;
  /** The view's width as laid out (no horizontal overflow means it fits). */
  scrollWidth(): Promise<number>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface ViewHost {
  /** Renders `view` for a call of `tool`, as a host does once the call starts (or once it returned). */
  open(options: { view: 'approval' | 'conference' | 'call'; tool: string; theme?: 'light' | 'dark'; width?: number }): Promise<OpenView>;
  close(): Promise<void>;
}

export async function startViewHost(client: Client): Promise<ViewHost> {
  const dir = mkdtempSync(join(tmpdir(), 'view-host-'));
  await build({ entryPoints: ['test/helpers/view-host/host.ts'], bundle: true, platform: 'browser', format: 'iife', outfile: join(dir, 'host.js'), logLevel: 'warning' });
  writeFileSync(join(dir, 'host.html'), '<!doctype html><meta charset="utf-8"><body style="margin:0"><div id="stage"></div><script src="host.js"></script>');
  const browser: Browser = await launchChromium();

  return {
    async open({ view, tool, theme = 'light', width = 700 }) {
      const page = await browser.newPage({ viewport: { width: width + 40, height: 1_400 }, colorScheme: theme });
      const hostRequests: OpenView['hostRequests'] = [];
      const sizes: number[] = [];
      // The host passes the view's tool calls on to this server, exactly as sent.
      await page.exposeFunction('nodeCallTool', (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }));
      await page.exposeFunction('nodeHostRequest', (method: string, params: unknown) => void hostRequests.push({ method, params }));
      await page.exposeFunction('nodeLog', (event: string, detail: { height?: number }) => {
        if (event === 'size-changed' && detail.height != null) sizes.push(detail.height);
      });
      await page.goto(pathToFileURL(join(dir, 'host.html')).href);
      const uri = `ui://sinch-calling/${view}`;
      const { contents } = await client.readResource({ uri });
      const resource = contents[0] as { text: string; mimeType: string; _meta?: { ui?: { csp?: Record<string, string[]> } } };
      if (resource.mimeType !== 'text/html;profile=mcp-app') throw new Error(`${uri} is ${resource.mimeType}, not an MCP App`);
      const hostContext = { theme, styles: { variables: HOST_STYLES }, toolInfo: { tool: { name: tool, inputSchema: { type: 'object' } } }, locale: 'en-GB', displayMode: 'inline', platform: 'desktop' };
      await page.evaluate((options) => window.startView(options), { html: resource.text, csp: resource._meta?.ui?.csp, hostContext, width });
      const frame = page.frameLocator('#stage iframe');
      return {
        page,
        frame,
        hostRequests,
        sizes,
        input: (args) => page.evaluate((a) => window.bridge.sendToolInput({ arguments: a }), args),
        result: (result) => page.evaluate((r) => window.bridge.sendToolResult(r as never), result),
        teardown: () => page.evaluate(() => window.bridge.teardownResource({}).then(() => undefined)),
        text: () => frame.locator('body').innerText(),
        scrollWidth: () => frame.locator('body').evaluate((body) => body.ownerDocument.documentElement.scrollWidth),
        screenshot: async (path) => void (await page.locator('#stage iframe').screenshot({ path })),
        close: () => page.close(),
      };
    },
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
