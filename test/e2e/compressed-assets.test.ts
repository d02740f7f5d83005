// The data the build stores brotli-compressed in dist/assets/ (scripts/compressed-assets.mjs) is exactly the
// libraries' own, no JavaScript copy of it is left in the bundle, and the built bin uses it: both llhttp
// builds parse Sinch's answers, and libphonenumber's full metadata tells number types apart.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { liveEnv } from '../helpers/sandbox.js';
import { spawnServer } from '../helpers/stdio.js';

const require = createRequire(import.meta.url);
const LIBRARY_DATA: Record<string, unknown> = {
  'llhttp_simd.wasm': require('undici/lib/llhttp/llhttp_simd-wasm.js'),
  'llhttp.wasm': require('undici/lib/llhttp/llhttp-wasm.js'),
  'phone-metadata.json': require('libphonenumber-js/metadata.max.json'),
};
const assets = readdirSync('dist/assets');
const bundledJs = (dir = 'dist'): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? bundledJs(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : []));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
});
afterAll(() => sandbox?.close());

describe('compressed assets in the build', () => {
  it('decompress to exactly what the libraries ship', () => {
    expect(assets.map((file) => file.replace(/-[A-Z0-9]+\.br$/, '')).sort()).toEqual(Object.keys(LIBRARY_DATA).sort());
    for (const [name, data] of Object.entries(LIBRARY_DATA)) {
      const bytes = brotliDecompressSync(readFileSync(join('dist/assets', assets.find((file) => file.startsWith(`${name}-`))!)));
      if (Buffer.isBuffer(data)) expect(bytes.equals(data), name).toBe(true);
      else expect(JSON.parse(bytes.toString('utf8'))).toEqual(data);
    }
  });

  it('leave no JavaScript copy of the same data in the bundle', () => {
    const js = bundledJs().map((file) => readFileSync(file, 'utf8')).join('\n');
    // "AGFzbQ" is a WebAssembly module's magic bytes in base64; the pattern is the longest string in Sweden's metadata.
    const swedenPattern = (JSON.stringify((LIBRARY_DATA['phone-metadata.json'] as { countries: { SE: unknown } }).countries.SE).match(/"(?:[^"\\]|\\.)*"/g) ?? []).sort((a, b) => b.length - a.length)[0]!;
    expect(swedenPattern.length).toBeGreaterThan(100);
    expect(js).not.toContain('AGFzbQ');
    expect(js).not.toContain(swedenPattern.slice(1, -1));
  });

  for (const [simd, which] of [['0', 'SIMD'], ['1', 'plain (fallback)']]) {
    it(`let the bin talk HTTP to Sinch with the ${which} llhttp build`, async () => {
      sandbox.requests.length = 0;
      const server = await spawnServer({ ...liveEnv(sandbox), UNDICI_NO_WASM_SIMD: simd });
      try {
        const numbers = await server.client.callTool({ name: 'list_numbers', arguments: {} });
        expect(numbers.isError).toBeFalsy();
        expect(sandbox.requests.map((request) => `${request.method} ${request.status}`)).toEqual(['GET 200']);
      } finally {
        await server.close();
      }
    });
  }

  it('let the bin tell number types apart (full metadata) in lookups and previews', async () => {
    // No credentials: the bin's own embedded sandbox answers lookups, with the bundled metadata too.
    const server = await spawnServer();
    try {
      const lookup = async (number: string) => ((await server.client.callTool({ name: 'lookup_number', arguments: { number } })).structuredContent as { result: unknown }).result;
      expect(await lookup('+46 8 123 456 78')).toMatchObject({ number: '+46812345678', country: 'SE', numberType: 'Fixed', restricted: false });
      expect(await lookup('+44 909 8765432')).toMatchObject({ number: '+449098765432', country: 'GB', numberType: 'Other', restricted: true });
      const callout = await server.client.callTool({ name: 'tts_callout', arguments: { destination: '0708168731', defaultCountry: 'SE', text: 'Hi' } });
      expect((callout.structuredContent as { preview: string }).preview).toMatch(/\+46 70 816 87 31, Sweden, mobile/);
    } finally {
      await server.close();
    }
  });

  it('are checked at start: a damaged install stops with one line naming the missing file, exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sinch-damaged-'));
    try {
      cpSync('dist', join(folder, 'dist'), { recursive: true });
      writeFileSync(join(folder, 'package.json'), '{"type":"module"}');
      const removed = assets.find((file) => file.startsWith('llhttp.wasm-'))!;
      rmSync(join(folder, 'dist/assets', removed));
      const failed = await promisify(execFile)(process.execPath, [join(folder, 'dist/index.js')], { env: { PATH: process.env.PATH ?? '' } }).catch((error) => error);
      expect(failed.code).toBe(2);
      expect(failed.stdout).toBe('');
      expect(failed.stderr.trim().split('\n')).toEqual([`sinch-calling-mcp: sinch-calling-mcp is damaged: ${join(folder, 'dist/assets', removed)} is missing; reinstall the package.`]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
