// A script on the shared state, bundled with the product's esbuild configuration and run by a Node process of
// its own from a folder with no node_modules above it: what it uses must be in the bundle. A process of its
// own also gets an environment of its own (e.g. NODE_EXTRA_CA_CERTS, read only at start).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface BundledScript {
  /** The bundle: entry.js and its chunks/. */
  out: string;
  /** Runs entry.js with these arguments; resolves with its stdout, rejects when it exits non-zero. */
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<string>;
  remove(): void;
}

/** `lines` is the script's body; `createSharedState` is imported for it. */
export async function bundleStateScript(lines: string[]): Promise<BundledScript> {
  const { bundle } = await import('../../scripts/bundle.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'state-bundle-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, [`import { createSharedState } from ${JSON.stringify(resolve('src/state/index.ts'))};`, ...lines].join('\n'));
    const out = join(dir, 'out');
    await bundle({ entry }, out);
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}) =>
      (await promisify(execFile)(process.execPath, [join(out, 'entry.js'), ...args], { cwd: out, timeout: 20_000, env: { ...process.env, ...env } })).stdout;
    return { out, run, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
