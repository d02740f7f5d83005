// The one esbuild configuration: the product build and the benchmark's baseline use it, so the
// cold-start comparison is between two bundles made the same way.
import { join, sep } from 'node:path';
import { build } from 'esbuild';

// Two libraries would bring far more than the server runs, so the bundle takes only the part it uses
// (this keeps the published package near 1 MB with no runtime dependencies):
// - zod re-exports every translation of its error messages; the server speaks English only.
// - undici is one CommonJS module graph (fetch, WebSocket, cache, mocks); src/sinch/client.ts needs only
//   its Agent and the request API. A src import of anything else from 'undici' fails the build here rather than at run time.
// undici's index adds request()/stream()/… to every Dispatcher; the shim does the same.
const UNDICI_AGENT = `
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
Object.assign(Dispatcher.prototype, api);
export { Agent };`;
const ZOD_ENGLISH_ONLY = "export { default as en } from 'zod/v4/locales/en.js';";
// - The MCP SDK accepts zod 3 schemas too, through zod/v3 and zod-to-json-schema; every schema here is zod 4,
//   so those two are replaced by modules that fail loudly if a zod 3 schema ever reaches the SDK.
const ZOD_4_ONLY = "this build bundles zod 4 only: a zod 3 schema reached the MCP SDK (use zod 4 schemas, import from 'zod')";
const ZOD_3_STUBS = {
  'zod/v3': `const refuse = () => { throw new Error(${JSON.stringify(ZOD_4_ONLY)}); };\nexport { refuse as object };`,
  'zod-to-json-schema': `export const zodToJsonSchema = () => { throw new Error(${JSON.stringify(ZOD_4_ONLY)}); };`,
};
const FROM_MCP_SDK = /node_modules[/\\]@modelcontextprotocol[/\\]sdk[/\\]/;
const OUR_SOURCES = join(process.cwd(), 'src') + sep;
const takeOnlyWhatIsUsed = {
  name: 'take-only-what-is-used',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, ({ importer }) => (importer.startsWith(OUR_SOURCES) ? { path: 'undici', namespace: 'undici-agent' } : undefined));
    build.onResolve({ filter: /[/\\]locales[/\\]index\.js$/ }, ({ importer }) => (/node_modules[/\\]zod[/\\]/.test(importer) ? { path: 'zod-locales', namespace: 'zod-english' } : undefined));
    build.onResolve({ filter: /^(zod\/v3|zod-to-json-schema)$/ }, ({ path, importer }) => (FROM_MCP_SDK.test(importer) ? { path, namespace: 'zod-4-only' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'zod-4-only' }, ({ path }) => ({ contents: ZOD_3_STUBS[path], loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'undici-agent' }, () => ({ contents: UNDICI_AGENT, resolveDir: process.cwd(), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'zod-english' }, () => ({ contents: ZOD_ENGLISH_ONLY, resolveDir: process.cwd(), loader: 'js' }));
  },
};

export function bundle(entryPoints, outdir) {
  return build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [takeOnlyWhatIsUsed],
    // Some bundled dependencies are CommonJS and call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
    // Read by scripts/third-party-notices.mjs to list the bundled packages.
    metafile: true,
  });
}
