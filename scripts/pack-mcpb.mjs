// `npm run pack:mcpb` (after the build): brings manifest.json's tools, prompts and version up to date,
// validates it and packs sinch-calling-mcp.mcpb, the one-click bundle for Claude Desktop. What goes in is
// decided by .mcpbignore: the built dist/ (self-contained: no node_modules), manifest, package.json, notices.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The package's exports do not include its CLI, so it is run by path (its `bin`).
const mcpb = fileURLToPath(new URL('../node_modules/@anthropic-ai/mcpb/dist/cli/cli.js', import.meta.url));
const run = (file, args) => execFileSync(process.execPath, [file, ...args], { stdio: 'inherit' });
const output = process.argv[2] ?? 'sinch-calling-mcp.mcpb';

run('.build/mcpb-manifest.js', []);
run(mcpb, ['validate', 'manifest.json']);
run(mcpb, ['pack', '.', output]);
