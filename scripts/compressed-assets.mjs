// Large data that libraries ship as JavaScript goes into the bundle's assets/ folder brotli-compressed (about a
// fifth of the size), and is read and decompressed the first time the module that held it is loaded:
// - undici's HTTP parser, llhttp, as WebAssembly in base64 (a SIMD build and a plain fallback, e.g. for
//   ppc64 on Node < 24.12 or UNDICI_NO_WASM_SIMD=1); undici require()s each lazily and wants the bytes.
// - libphonenumber's full metadata (src/phone-numbers.ts imports it), which tells number types apart.
// Each replaced module reads its asset relative to its own output file, so it works wherever it is installed.
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const require = createRequire(import.meta.url);
const OUR_SOURCES = join(process.cwd(), 'src') + sep;
const FROM_UNDICI_H1 = /node_modules[/\\]undici[/\\]lib[/\\]dispatcher[/\\]client-h1\.js$/;

/** Each asset: which import it replaces (specifier and importer), how to get its bytes, and what the import yields. */
export const COMPRESSED_ASSETS = [
  { name: 'llhttp_simd.wasm', specifier: /^\.\.\/llhttp\/llhttp_simd-wasm\.js$/, importer: (path) => FROM_UNDICI_H1.test(path), bytes: () => require('undici/lib/llhttp/llhttp_simd-wasm.js'), yields: 'commonjs-buffer' },
  { name: 'llhttp.wasm', specifier: /^\.\.\/llhttp\/llhttp-wasm\.js$/, importer: (path) => FROM_UNDICI_H1.test(path), bytes: () => require('undici/lib/llhttp/llhttp-wasm.js'), yields: 'commonjs-buffer' },
  {
    name: 'phone-metadata.json',
    specifier: /^libphonenumber-js\/metadata\.max$/,
    importer: (path) => path.startsWith(OUR_SOURCES),
    bytes: () => Buffer.from(JSON.stringify(require('libphonenumber-js/metadata.max.json'))),
    yields: 'esm-json',
  },
];

// Compressing at the highest quality takes a moment; one process (the build, a test) does it once per asset.
const compressed = new Map();
function compress(asset) {
  if (!compressed.has(asset.name)) {
    const bytes = asset.bytes();
    compressed.set(asset.name, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  }
  return compressed.get(asset.name);
}

// A missing or damaged asset means a broken install: the error says so, and what to do, instead of a bare ENOENT.
const reader = (asset) => `
import where from 'compressed-asset-url:${asset.name}';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
let bytes;
try {
  bytes = brotliDecompressSync(readFileSync(where));
} catch (error) {
  throw new Error('sinch-calling-mcp is damaged: ' + fileURLToPath(where) + ' cannot be read (' + (error.code ?? error.message) + '); reinstall the package');
}
export default ${asset.yields === 'esm-json' ? 'JSON.parse(bytes.toString("utf8"))' : 'bytes'};`;
// src/install-check.ts in the bundle: every asset's file, checked for at start (a stat each, no reading).
const installCheck = () => `
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
${COMPRESSED_ASSETS.map((asset, i) => `import url${i} from 'compressed-asset-url:${asset.name}';`).join('\n')}
export function missingInstallFiles() {
  return [${COMPRESSED_ASSETS.map((_, i) => `url${i}`).join(', ')}].filter((url) => !existsSync(url)).map((url) => fileURLToPath(url));
}`;
// An asset's location. The file loader's path is relative to the chunk its module lands in; this module is the
// only one importing it, so the two always share a chunk and import.meta.url is the right base.
const locator = (asset) => `import file from 'compressed-asset-file:${asset.name}.br';\nexport default new URL(file, import.meta.url);`;
// undici require()s the module and passes what it gets to WebAssembly.Module: the Buffer itself.
const commonJsShim = (asset) => `module.exports = require('compressed-asset-reader:${asset.name}').default;`;

export const compressedAssets = {
  name: 'compressed-assets',
  setup(build) {
    for (const asset of COMPRESSED_ASSETS) {
      build.onResolve({ filter: asset.specifier }, ({ importer }) =>
        asset.importer(importer) ? { path: asset.name, namespace: asset.yields === 'commonjs-buffer' ? 'compressed-asset-shim' : 'compressed-asset-reader' } : undefined,
      );
    }
    build.onResolve({ filter: /[/\\]install-check\.js$/ }, ({ importer }) => (importer.startsWith(OUR_SOURCES) ? { path: 'install-check', namespace: 'compressed-asset-check' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-check' }, () => ({ contents: installCheck(), loader: 'js' }));
    const byName = (path) => COMPRESSED_ASSETS.find((asset) => asset.name === path.replace(/\.br$/, ''));
    build.onResolve({ filter: /^compressed-asset-(reader|file|url):/ }, ({ path }) => {
      const [namespace, name] = path.split(':');
      return { path: name, namespace };
    });
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-shim' }, ({ path }) => ({ contents: commonJsShim(byName(path)), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-url' }, ({ path }) => ({ contents: locator(byName(path)), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-reader' }, ({ path }) => ({ contents: reader(byName(path)), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-file' }, ({ path }) => ({ contents: compress(byName(path)), loader: 'file' }));
  },
};
