// The npm package as a user gets it: packed from a clean copy of the sources (so `prepack` must build),
// installed offline into an empty folder, started through its bin. Zero dependencies come along.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../helpers/stdio.js';

// Goal: at most 1 MB (1 000 000 bytes) installed, with no dependencies. The bundle leaves out ajv and zod 3
// support, stores llhttp's wasm and libphonenumber's metadata compressed in dist/assets/, and talks to Redis
// through its own small client; what remains is mostly zod and the MCP SDK, undici's HTTP client, jose and
// the MCP HTTP transport for remote mode.
const MAX_INSTALLED_BYTES = 1_000_000;
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });

let folder: string;
let packed: { filename: string; unpackedSize: number; files: Array<{ path: string }> };
let installed: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sinch-package-'));
  // A clean checkout: the tracked files only (no dist/), with the dev tools the build needs.
  const checkout = join(folder, 'checkout');
  for (const file of execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(file, join(checkout, file));
  }
  symlinkSync(resolve('node_modules'), join(checkout, 'node_modules'), 'dir');
  packed = JSON.parse(npm(['pack', '--json', '--pack-destination', folder], checkout))[0];

  installed = join(folder, 'app');
  mkdirSync(installed);
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--offline', '--no-audit', '--no-fund', join(folder, packed.filename)], installed);
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the npm package', () => {
  it('ships the built server, its notices and nothing else', () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ['dist/index.js', 'dist/tool-listing.json', 'THIRD_PARTY_NOTICES', 'LICENSE', 'README.md', 'package.json']) expect(files).toContain(needed);
    expect(files.filter((f) => !f.startsWith('dist/') && !['THIRD_PARTY_NOTICES', 'LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
    expect(packed.unpackedSize, `${packed.unpackedSize} bytes`).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
  });

  it('installs offline with zero dependencies', () => {
    const modules = readdirSync(join(installed, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(modules).toEqual(['sinch-calling-mcp']);
  });

  it('answers initialize, tools/list and a lookup through its bin', async () => {
    const bin = join(installed, 'node_modules', '.bin', 'sinch-calling-mcp');
    const server = await spawnServer({}, [], undefined, { bin, cwd: installed });
    try {
      expect(server.client.getServerVersion()?.name).toBe('sinch-calling-mcp');
      const tools = (await server.client.listTools()).tools.map((t) => t.name);
      // The same tools as the bundle's manifest lists for the default settings.
      expect(tools).toEqual(JSON.parse(readFileSync('manifest.json', 'utf8')).tools.map((t: { name: string }) => t.name));
      // A lookup reads libphonenumber's metadata from the package's compressed asset (dist/assets/).
      const lookup = await server.client.callTool({ name: 'lookup_number', arguments: { number: '+46 70 816 87 31' } });
      expect((lookup.structuredContent as { result: { numberType: string } }).result.numberType).toBe('Mobile');
    } finally {
      await server.close();
    }
  });
});
