// THIRD_PARTY_NOTICES: every package esbuild bundled, found from the metafile's input paths, with its licence;
// each distinct licence text printed once, after the packages it covers and their copyright lines.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledPackages, licenceGroups, packageRoot, writeNotices } from '../../scripts/third-party-notices.mjs';

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

  it('prints a licence text shared by several packages once, each package with its own copyright lines', () => {
    const grant = 'Permission is hereby granted, free of charge, to any person obtaining a copy of this software, to deal in the Software without restriction.';
    // The same terms under another title and wrapped at another width.
    const mit = (title: string, width: number) => `${title}\n\n${grant.replace(new RegExp(`(.{1,${width}})( |$)`, 'g'), '$1\n')}`;
    const packageAt = (name: string, copyright: string[], licence: string) => {
      const root = join(folder, 'node_modules', name);
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.2.3', license: 'MIT' }));
      writeFileSync(join(root, 'LICENSE'), `${copyright.join('\n')}\n\n${licence}`);
      return join(root, 'index.js');
    };
    const inputs = [
      packageAt('shared-a', ['Copyright (c) 2020 Ann'], mit('MIT License', 60)),
      packageAt('shared-b', ['Copyright (c) 2021 Bo', 'Copyright (c) 2019 Cy'], mit('(The MIT License)', 72)),
      packageAt('other-terms', ['Copyright (c) 2022 Di'], mit('MIT License', 60).replace('free of charge', 'for a fee')),
    ];
    const groups = licenceGroups(bundledPackages(metafileOf(...inputs)));
    expect(groups.map((group) => group.packages.map((p) => p.name))).toEqual([['other-terms'], ['shared-a', 'shared-b']]);
    expect(groups[1]!.packages.map((p) => p.copyright)).toEqual([['Copyright (c) 2020 Ann'], ['Copyright (c) 2021 Bo', 'Copyright (c) 2019 Cy']]);

    const file = join(folder, 'GROUPED');
    writeNotices(metafileOf(...inputs), file);
    const text = readFileSync(file, 'utf8');
    expect(text.match(/free of charge/g)).toHaveLength(1);
    expect(text.match(/for a fee/g)).toHaveLength(1);
    for (const line of ['- shared-a 1.2.3 (MIT)', '- shared-b 1.2.3 (MIT)', '- other-terms 1.2.3 (MIT)', 'Copyright (c) 2020 Ann', 'Copyright (c) 2021 Bo', 'Copyright (c) 2019 Cy', 'Copyright (c) 2022 Di']) {
      expect(text).toContain(line);
    }
  });

  it('the shipped file names every package in the server bundle, with its version and copyright lines (after npm run build)', () => {
    const metafile = JSON.parse(readFileSync('.build/product-metafile.json', 'utf8')) as Metafile;
    const roots = new Set(Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)).flatMap((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
    expect(roots.size).toBeGreaterThan(5);
    const notices = readFileSync('THIRD_PARTY_NOTICES', 'utf8');
    for (const root of roots) {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      expect(notices).toContain(`- ${manifest.name} ${manifest.version} (`);
      const licence = readdirSync(root).find((name) => /^licen[cs]e/i.test(name))!;
      for (const line of readFileSync(join(root, licence), 'utf8').split('\n').filter((l) => /^copyright\b/i.test(l))) expect(notices, manifest.name).toContain(line.trim());
    }
    // Each distinct text once: the MIT permission paragraph appears once per wording, not once per package.
    expect(notices.match(/Permission is hereby granted/g)!.length).toBeLessThan(roots.size / 2);
  });
});
