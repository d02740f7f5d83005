// What scripts/bundle.mjs leaves out of the server build, and that what it puts in their place fails loudly
// rather than misbehaving: zod 3 support inside the MCP SDK, and ajv (the SDK's default validator).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from '../../scripts/bundle.mjs';
import { packageRoot } from '../../scripts/third-party-notices.mjs';

const dir = mkdtempSync(join(tmpdir(), 'sinch-trims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `lines` as the server build does (without ajv) and runs it; each line prints one outcome. */
async function runBundled(name: string, lines: string[]): Promise<string[]> {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, lines.join('\n'));
  await bundle({ [name]: entry }, join(dir, name), { withoutAjv: true });
  writeFileSync(join(dir, name, 'package.json'), '{"type":"module"}');
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, name, `${name}.js`)], { cwd: join(dir, name), timeout: 20_000 });
  return stdout.trim().split('\n');
}

const sdk = (path: string) => JSON.stringify(resolve('node_modules/@modelcontextprotocol/sdk/dist/esm', path));

describe('the server bundle', () => {
  it('takes neither ajv nor zod 3 support from the MCP SDK', async () => {
    const { metafile } = await bundle({ index: 'src/index.ts', 'sandbox-cli': 'src/sandbox/cli.ts' }, join(dir, 'server'), { withoutAjv: true });
    const inputs = Object.values(metafile!.outputs).flatMap((output) => Object.keys(output.inputs));
    const packages = new Set(inputs.map((input) => packageRoot(input)?.replace(/^.*node_modules\//, '')));
    for (const left of ['ajv', 'ajv-formats', 'fast-uri', 'json-schema-traverse', 'fast-deep-equal', 'zod-to-json-schema']) expect(packages).not.toContain(left);
    expect(inputs.filter((input) => /node_modules\/zod\/v3\//.test(input))).toEqual([]);
    // The parts the server does use are still there.
    expect(packages).toContain('zod');
    expect(packages).toContain('@modelcontextprotocol/sdk');
  });

  it('says clearly what is missing when a zod 3 schema or the default validator is used, and works with our validator', async () => {
    const outcomes = await runBundled('stubs', [
      `import { McpServer } from ${sdk('server/mcp.js')};`,
      `import { FormSchemaValidator } from ${JSON.stringify(resolve('src/mcp/form-schema-validator.ts'))};`,
      `import { z as z3 } from ${JSON.stringify(resolve('node_modules/zod/v3/index.js'))};`,
      `import { z } from ${JSON.stringify(resolve('node_modules/zod/index.js'))};`,
      'const attempt = (what, run) => { try { run(); console.log(`${what}: ok`); } catch (error) { console.log(`${what}: ${error.message}`); } };',
      "attempt('default validator', () => new McpServer({ name: 'x', version: '0' }));",
      "const server = new McpServer({ name: 'x', version: '0' }, { jsonSchemaValidator: new FormSchemaValidator() });",
      "attempt('zod 4 tool', () => server.registerTool('four', { inputSchema: { text: z.string() } }, () => ({ content: [] })));",
      "attempt('zod 3 tool', () => server.registerTool('three', { inputSchema: { text: z3.string() } }, () => ({ content: [] })));",
    ]);
    expect(outcomes).toEqual([
      'default validator: this build has no ajv: pass your own jsonSchemaValidator to the MCP SDK Server (an SDK Client cannot run in this build)',
      'zod 4 tool: ok',
      "zod 3 tool: this build bundles zod 4 only: a zod 3 schema reached the MCP SDK (use zod 4 schemas, import from 'zod')",
    ]);
  }, 30_000);
});
