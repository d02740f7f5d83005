// Build step for the MCP Bundle: writes into manifest.json the version from package.json and the tools and
// prompts the server really has with the bundle's settings (no callback receiver), so the manifest never
// drifts from the server. `--check` changes nothing and fails if manifest.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { startInMemoryServer } from './in-memory-server.js';

const MANIFEST = 'manifest.json';

const server = await startInMemoryServer({});
const { tools } = await server.request('tools/list');
const { prompts } = await server.request('prompts/list');
const manifestPrompts = [];
for (const prompt of prompts as Array<{ name: string; description?: string; arguments?: Array<{ name: string }> }>) {
  const names = (prompt.arguments ?? []).map((a) => a.name);
  // The bundle format wants the prompt's text with ${arguments.x} where each argument goes.
  const placeholders = Object.fromEntries(names.map((name) => [name, `\${arguments.${name}}`]));
  const { messages } = await server.request('prompts/get', { name: prompt.name, arguments: placeholders });
  const text = (messages as Array<{ content: { type: string; text?: string } }>).map((m) => m.content.text ?? '').join('\n\n');
  manifestPrompts.push({ name: prompt.name, description: prompt.description, arguments: names, text });
}
await server.close();

const current = readFileSync(MANIFEST, 'utf8');
const manifest = JSON.parse(current);
manifest.version = JSON.parse(readFileSync('package.json', 'utf8')).version;
manifest.tools = (tools as Array<{ name: string; description: string }>).map(({ name, description }) => ({ name, description }));
manifest.prompts = manifestPrompts;
const updated = `${JSON.stringify(manifest, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (updated !== current) {
    process.stderr.write(`${MANIFEST} is out of date with the server's tools, prompts or version: run npm run pack:mcpb (or node .build/mcpb-manifest.js) and commit it.\n`);
    process.exit(1);
  }
} else if (updated !== current) {
  writeFileSync(MANIFEST, updated);
  process.stderr.write(`${MANIFEST} updated from the server's tools, prompts and package.json's version.\n`);
}
