// Test helpers: a sandbox plus a client pointed at it over real HTTP on 127.0.0.1.
import { type RetryPolicy, SinchClient } from '../../src/sinch/client.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/server.js';

export const FAST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

export async function sandboxWithClient(
  options: SandboxOptions = {},
  client: { timeoutMs?: number; auth?: 'signed' | 'basic'; retry?: RetryPolicy; maxConnections?: number; followLoopbackRedirects?: boolean } = {},
): Promise<{ sandbox: Sandbox; client: SinchClient; close: () => Promise<void> }> {
  const sandbox = await startSandbox({ ...options, timing: { answerAfterMs: 0, ttsDurationMs: 60_000, ...options.timing } });
  const sinch = new SinchClient(
    {
      callingUrl: sandbox.callingUrl,
      managementUrl: sandbox.managementUrl,
      lookupUrl: sandbox.lookupUrl,
      authUrl: sandbox.authUrl,
      credentials: sandbox.app,
      auth: client.auth ?? 'signed',
      timeoutMs: client.timeoutMs ?? 5_000,
      maxConnections: client.maxConnections ?? 4,
      followLoopbackRedirects: client.followLoopbackRedirects ?? true,
    },
    client.retry ?? FAST_RETRY,
  );
  return {
    sandbox,
    client: sinch,
    close: async () => {
      await sinch.close();
      await sandbox.close();
    },
  };
}

/** Environment for the built server in live mode against this sandbox (the tests' stand-in for Sinch). */
export function liveEnv(sandbox: Pick<Sandbox, 'app' | 'callingUrl' | 'managementUrl'>): Record<string, string> {
  return {
    SINCH_APPLICATION_KEY: sandbox.app.key,
    SINCH_APPLICATION_SECRET: sandbox.app.secret,
    SINCH_CALLING_URL: sandbox.callingUrl,
    SINCH_MANAGEMENT_URL: sandbox.managementUrl,
  };
}
