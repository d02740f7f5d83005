// The sandbox application's credentials: a fixed key, and a secret drawn at random once per process
// (never published), so nobody who read the docs can sign callbacks that a sandbox-mode receiver accepts.
import type { SandboxApp } from './state.js';

export const SANDBOX_APP_KEY = 'sandbox-0000-4000-8000-000000000001';

let app: SandboxApp | undefined;

/** The same credentials for the whole process: the embedded sandbox and the receiver must agree. */
export function sandboxApp(): SandboxApp {
  // node:crypto is loaded here, on first use, not at start-up.
  app ??= { key: SANDBOX_APP_KEY, secret: process.getBuiltinModule('node:crypto').randomBytes(32).toString('base64') };
  return app;
}
