// Builds the in-chat views (docs/views.md): src/views/main.ts bundled for the browser and, with the style
// sheet, inlined into one self-contained HTML document per resource (nothing is loaded from outside).
// The same script serves the three; the document's data-view picks the screen.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { build, transform } from 'esbuild';

const VIEWS = {
  approval: 'Approval',
  conference: 'Conference console',
  call: 'Call',
};

/**
 * Writes approval.html.br, conference.html.br and call.html.br into `outDir`: brotli-compressed, like the other
 * large assets (a third of the size in the package); the server decompresses each on its first resources/read.
 */
export async function buildViews(outDir) {
  const { version } = JSON.parse(await readFile('package.json', 'utf8'));
  const script = await build({
    entryPoints: ['src/views/main.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['chrome120', 'firefox121', 'safari17.5'],
    minify: true,
    legalComments: 'none',
    define: { __APP_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
  });
  const js = script.outputFiles[0].text.trim();
  const css = (await transform(await readFile('src/views/style.css', 'utf8'), { loader: 'css', minify: true, target: ['chrome120', 'firefox121', 'safari17.5'] })).code.trim();
  // Inline code ends at the first "</script" or "</style", wherever it appears.
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error('views: the inlined script or style contains a closing tag');
  await mkdir(outDir, { recursive: true });
  for (const [view, title] of Object.entries(VIEWS)) {
    const html = `<!doctype html>
<html lang="en" data-view="${view}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Sinch Calling MCP</title>
<style>${css}</style>
</head>
<body>
<main id="app"></main>
<script>${js}</script>
</body>
</html>
`;
    const bytes = Buffer.from(html, 'utf8');
    await writeFile(join(outDir, `${view}.html.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  }
}
