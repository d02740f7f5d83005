// The one esbuild configuration: the product build and the benchmark's baseline use it, so the
// cold-start comparison is between two bundles made the same way.
import { join, sep } from 'node:path';
import { build } from 'esbuild';
import { compressedAssets } from './compressed-assets.mjs';

// The libraries would bring far more than the server runs, so the bundle takes only the part it uses
// (this keeps the published package near 1 MB with no runtime dependencies; large data the libraries
// ship as JavaScript is stored compressed, see compressed-assets.mjs):
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
// - With { withoutAjv: true } (the server build), the SDK's ajv-based validator (ajv, ajv-formats, fast-uri…)
//   is replaced by a class that refuses to be made: the SDK Server then needs the jsonSchemaValidator option
//   (src/mcp/server.ts gives it src/mcp/form-schema-validator.ts), and an SDK Client cannot run in that build.
const NO_AJV = `export class AjvJsonSchemaValidator {
  constructor() { throw new Error("this build has no ajv: pass your own jsonSchemaValidator to the MCP SDK Server (an SDK Client cannot run in this build)"); }
}`;
const OUR_SOURCES = join(process.cwd(), 'src') + sep;
const takeOnlyWhatIsUsed = ({ withoutAjv }) => ({
  name: 'take-only-what-is-used',
  setup(build) {
    if (withoutAjv) {
      build.onResolve({ filter: /[/\\]ajv-provider\.js$/ }, ({ importer }) => (FROM_MCP_SDK.test(importer) ? { path: 'ajv-provider', namespace: 'no-ajv' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'no-ajv' }, () => ({ contents: NO_AJV, loader: 'js' }));
    }
    build.onResolve({ filter: /^undici$/ }, ({ importer }) => (importer.startsWith(OUR_SOURCES) ? { path: 'undici', namespace: 'undici-agent' } : undefined));
    build.onResolve({ filter: /[/\\]locales[/\\]index\.js$/ }, ({ importer }) => (/node_modules[/\\]zod[/\\]/.test(importer) ? { path: 'zod-locales', namespace: 'zod-english' } : undefined));
    build.onResolve({ filter: /^(zod\/v3|zod-to-json-schema)$/ }, ({ path, importer }) => (FROM_MCP_SDK.test(importer) ? { path, namespace: 'zod-4-only' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'zod-4-only' }, ({ path }) => ({ contents: ZOD_3_STUBS[path], loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'undici-agent' }, () => ({ contents: UNDICI_AGENT, resolveDir: process.cwd(), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'zod-english' }, () => ({ contents: ZOD_ENGLISH_ONLY, resolveDir: process.cwd(), loader: 'js' }));
  },
});

/** `options.withoutAjv`: the entries run no SDK Client and give the SDK Server their own validator. */
export function bundle(entryPoints, outdir, options = {}) {
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
    assetNames: 'assets/[name]-[hash]',
    plugins: [takeOnlyWhatIsUsed({ withoutAjv: options.withoutAjv === true }), compressedAssets],
    // Some bundled dependencies are CommonJS and call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
    // Read by scripts/third-party-notices.mjs to list the bundled packages.
    metafile: true,
  });
}
