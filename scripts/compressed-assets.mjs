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

const reader = (asset) => `
import file from 'compressed-asset-file:${asset.name}.br';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
const bytes = brotliDecompressSync(readFileSync(new URL(file, import.meta.url)));
export default ${asset.yields === 'esm-json' ? 'JSON.parse(bytes.toString("utf8"))' : 'bytes'};`;
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
    const byName = (path) => COMPRESSED_ASSETS.find((asset) => asset.name === path.replace(/\.br$/, ''));
    build.onResolve({ filter: /^compressed-asset-(reader|file):/ }, ({ path }) => {
      const [namespace, name] = path.split(':');
      return { path: name, namespace };
    });
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-shim' }, ({ path }) => ({ contents: commonJsShim(byName(path)), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-reader' }, ({ path }) => ({ contents: reader(byName(path)), loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'compressed-asset-file' }, ({ path }) => ({ contents: compress(byName(path)), loader: 'file' }));
  },
};
