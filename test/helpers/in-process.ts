// Remote mode composed and served in this test's process, against a test sandbox, with static tokens written to
// a throwaway file: what compose() may take (a clock, …) is injected as the bin never does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Inject, type Services, compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { serve } from '../../src/serve.js';
import { writeTokens } from './remote.js';
import { sandboxWithClient } from './sandbox.js';

export interface InProcessRemote {
  sandbox: Sandbox;
  services: Services;
  /** Where /mcp answers. */
  url: string;
  /** One token per name given, in order. */
  tokens: string[];
  close(): Promise<void>;
}

export async function remoteInProcess(scopes: string | string[], names: string[], env: Record<string, string>, inject: Omit<Inject, 'client'> = {}): Promise<InProcessRemote> {
  const test = await sandboxWithClient();
  const dir = mkdtempSync(join(tmpdir(), 'sinch-remote-'));
  const { file, tokens } = writeTokens(dir, scopes, names);
  const services = await compose(loadConfig({ SINCH_HTTP_PORT: '0', SINCH_HTTP_TOKENS_FILE: file, ...env }), { audit: () => undefined, ...inject, client: test.client });
  const serving = await serve(services);
  return {
    sandbox: test.sandbox,
    services,
    url: serving.url!,
    tokens,
    async close() {
      await serving.close();
      await services.close();
      await test.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
