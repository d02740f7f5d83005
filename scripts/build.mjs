// Bundles the bin and the standalone sandbox into dist/ as ESM with shared chunks, so the server starts
// from one small file and loads phone metadata, undici and the sandbox only when used. Neither runs an
// SDK Client, so ajv stays out (see bundle.mjs); the demo, which does, is built by scripts/demo.mjs.
// Then writes THIRD_PARTY_NOTICES for the bundled packages (and the esbuild metafile it came from, in
// .build/, for the test that checks it), and dist/tool-listing.json, the precomputed tools/list answer
// (see scripts/tool-listing.ts). The in-chat views go to dist/views/ (see scripts/views.mjs).
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { bundle } from './bundle.mjs';
import { writeNotices } from './third-party-notices.mjs';
import { buildViews } from './views.mjs';

await rm('dist', { recursive: true, force: true });
const product = await bundle({ index: 'src/index.ts', 'sandbox-cli': 'src/sandbox/cli.ts' }, 'dist', { withoutAjv: true });
await buildViews('dist/views');
writeNotices(product.metafile, 'THIRD_PARTY_NOTICES');
await mkdir('.build', { recursive: true });
await writeFile('.build/product-metafile.json', JSON.stringify(product.metafile));
await bundle({ 'tool-listing': 'scripts/tool-listing.ts', 'mcpb-manifest': 'scripts/mcpb-manifest.ts' }, '.build');
execFileSync(process.execPath, ['.build/tool-listing.js', 'dist/tool-listing.json'], { stdio: 'inherit' });
