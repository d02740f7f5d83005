// THIRD_PARTY_NOTICES: every package esbuild bundled, found from the metafile's input paths, with its licence.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledPackages, packageRoot, writeNotices } from '../../scripts/third-party-notices.mjs';

const folder = mkdtempSync(join(tmpdir(), 'sinch-notices-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const metafileOf = (...inputs: string[]): Metafile => ({ inputs: {}, outputs: { 'dist/index.js': { bytes: 1, inputs: Object.fromEntries(inputs.map((i) => [i, { bytesInOutput: 1 }])), imports: [], exports: [] } } });

describe('third-party notices', () => {
  it('finds the package folder of an input, scoped and nested ones included', () => {
    expect(packageRoot('node_modules/zod/v4/core/core.js')).toBe('node_modules/zod');
    expect(packageRoot('node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js')).toBe('node_modules/@modelcontextprotocol/sdk');
    expect(packageRoot('node_modules/a/node_modules/b/index.js')).toBe('node_modules/a/node_modules/b');
    expect(packageRoot('src/index.ts')).toBeUndefined();
  });

  it('lists each bundled package once, with version, licence and licence text, and skips our own sources', () => {
    const packages = bundledPackages(metafileOf('src/index.ts', 'node_modules/zod/v4/core/core.js', 'node_modules/zod/v4/classic/schemas.js', 'node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js'));
    expect(packages.map((p) => p.name)).toEqual(['@modelcontextprotocol/sdk', 'zod']);
    const zod = packages.find((p) => p.name === 'zod')!;
    expect(zod.version).toBe(JSON.parse(readFileSync('node_modules/zod/package.json', 'utf8')).version);
    expect(zod.license).toBe('MIT');
    expect(zod.text).toMatch(/Permission is hereby granted/);
  });

  it('stops the build when a bundled package ships no licence file', () => {
    const root = join(folder, 'node_modules', 'unlicensed');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'unlicensed', version: '1.0.0', license: 'MIT' }));
    writeFileSync(join(root, 'index.js'), '');
    expect(() => bundledPackages(metafileOf(join(root, 'index.js')))).toThrow(/unlicensed@1\.0\.0 is bundled but ships no licence file/);
  });

  it('writes a file that names every package before the licence texts', () => {
    const file = join(folder, 'NOTICES');
    writeNotices(metafileOf('node_modules/undici/lib/dispatcher/agent.js'), file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^sinch-calling-mcp bundles the following/);
    expect(text).toMatch(/- undici \d+\.\d+\.\d+ \(MIT\)/);
    expect(text).toMatch(/MIT License/);
  });
});
