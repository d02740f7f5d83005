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

// A copyright line starts a line of its own (the Apache text's indented template line is not one).
const COPYRIGHT_LINE = /^(copyright\b|\(c\)|©)/i;
// Titles differ between copies of the same licence ("MIT License", "(The MIT License)") and say nothing.
const TITLE_LINE = /^\(?(the )?mit license( \(mit\))?\)?$/i;

/**
 * Packages grouped by licence text: most bundled packages carry the same MIT text with their own copyright
 * lines, so each distinct text is printed once, after every package it covers with its copyright lines.
 */
export function licenceGroups(packages) {
  const groups = new Map();
  for (const p of packages) {
    const lines = p.text.split('\n');
    const copyright = lines.filter((line) => COPYRIGHT_LINE.test(line)).map((line) => line.trim());
    const body = lines.filter((line) => !COPYRIGHT_LINE.test(line)).join('\n').replace(/\n{3,}/g, '\n\n').trim();
    // Line breaks and titles do not change the terms; any other difference makes another group.
    const key = body.split('\n').filter((line) => !TITLE_LINE.test(line.trim())).join(' ').replace(/\s+/g, ' ').trim();
    if (!groups.has(key)) groups.set(key, { licenses: new Set(), text: body, packages: [] });
    const group = groups.get(key);
    group.licenses.add(p.license);
    group.packages.push({ name: p.name, version: p.version, copyright });
  }
  return [...groups.values()].map((group) => ({ ...group, licenses: [...group.licenses] }));
}

export function writeNotices(metafile, file) {
  const packages = bundledPackages(metafile);
  const rule = '-'.repeat(78);
  const sections = licenceGroups(packages).map((group) => {
    const covered = group.packages.map((p) => `${p.name} ${p.version}\n${(p.copyright.length > 0 ? p.copyright : ['(no copyright line in its licence file)']).map((line) => `  ${line}`).join('\n')}`);
    return `${rule}\n${group.licenses.join(', ')} licence of:\n\n${covered.join('\n')}\n${rule}\n\n${group.text}\n`;
  });
  const header =
    'sinch-calling-mcp bundles the following third-party packages into dist/.\n' +
    'Their licences follow: each distinct licence text once, after the packages it covers and their copyright lines.\n\n' +
    `${packages.map((p) => `- ${p.name} ${p.version} (${p.license})`).join('\n')}\n\n`;
  writeFileSync(file, `${header}${sections.join('\n')}`);
  return packages;
}
