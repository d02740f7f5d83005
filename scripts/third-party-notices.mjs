// Writes THIRD_PARTY_NOTICES: the name, version, licence and licence text of every package esbuild put
// into the bundle, read from its metafile. The published package has no runtime dependencies (their code
// is inside dist/), so their licences travel in this file instead. A bundled package without a licence
// file stops the build: shipping its code without its terms is not an option.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The package folder an input path belongs to: the part up to the last node_modules/<name> or node_modules/@scope/<name>. */
export function packageRoot(inputPath) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(inputPath.replaceAll('\\', '/'));
  return match?.[1];
}

export function bundledPackages(metafile) {
  const roots = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const input of Object.keys(output.inputs)) {
      const root = packageRoot(input);
      if (root) roots.add(root);
    }
  }
  const packages = new Map();
  for (const root of roots) {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(root).find((name) => LICENCE_FILE.test(name));
    if (!licenceFile) throw new Error(`${manifest.name}@${manifest.version} is bundled but ships no licence file (looked in ${root})`);
    const key = `${manifest.name}@${manifest.version}`;
    packages.set(key, { name: manifest.name, version: manifest.version, license: manifest.license ?? 'UNKNOWN', text: readFileSync(join(root, licenceFile), 'utf8').trim() });
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function writeNotices(metafile, file) {
  const packages = bundledPackages(metafile);
  const rule = '-'.repeat(78);
  const sections = packages.map((p) => `${rule}\n${p.name} ${p.version} (${p.license})\n${rule}\n\n${p.text}\n`);
  const header = `sinch-calling-mcp bundles the following third-party packages into dist/.\nTheir licences follow.\n\n${packages.map((p) => `- ${p.name} ${p.version} (${p.license})`).join('\n')}\n\n`;
  writeFileSync(file, `${header}${sections.join('\n')}`);
  return packages;
}
