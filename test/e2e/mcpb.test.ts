// The Claude Desktop bundle: manifest in step with the server, valid for the mcpb tool, packed, unpacked into
// an empty folder and started the way the app starts it (its mcp_config, user_config defaults), with no
// node_modules anywhere above it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../helpers/stdio.js';

const MCPB = 'node_modules/@anthropic-ai/mcpb/dist/cli/cli.js';
const manifest = JSON.parse(readFileSync('manifest.json', 'utf8'));
const node = (args: string[]) => execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });

/** The server's environment as the app builds it: each ${user_config.x} replaced by the user's value, else its default. */
function appEnvironment(userValues: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries<string>(manifest.server.mcp_config.env)) {
    env[name] = value.replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) => userValues[key] ?? String(manifest.user_config[key].default));
  }
  return env;
}

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sinch-mcpb-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the MCP Bundle', () => {
  it('has a manifest in step with the server (tools, prompts, version)', () => {
    expect(() => node(['.build/mcpb-manifest.js', '--check'])).not.toThrow();
    expect(manifest.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(manifest.tools.map((t: { name: string }) => t.name)).toContain('hangup_call');
    expect(manifest.prompts.map((p: { name: string }) => p.name)).toEqual(['moderate_conference', 'lookup_numbers']);
  });

  it('asks for the secret as sensitive, and every field can be left blank', () => {
    expect(manifest.user_config.application_secret.sensitive).toBe(true);
    for (const [key, field] of Object.entries<{ required?: boolean; default?: unknown }>(manifest.user_config)) {
      expect(field.required, key).toBe(false);
      expect(field.default, key).toBeDefined();
    }
    expect(manifest.user_config.allowed_destinations.default).toBe('*');
    expect(manifest.user_config.read_only.default).toBe(false);
  });

  it('validates, packs, unpacks without sources or node_modules, and serves over stdio in sandbox mode', async () => {
    expect(node([MCPB, 'validate', 'manifest.json'])).toMatch(/validation passes/);
    const bundle = join(folder, 'sinch-calling-mcp.mcpb');
    node([MCPB, 'pack', '.', bundle]);
    const unpacked = join(folder, 'unpacked');
    node([MCPB, 'unpack', bundle, unpacked]);

    const top = readdirSync(unpacked).sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'THIRD_PARTY_NOTICES', 'dist', 'manifest.json', 'package.json']);
    expect(readFileSync(join(unpacked, 'THIRD_PARTY_NOTICES'), 'utf8')).toMatch(/@modelcontextprotocol\/sdk .*\(MIT\)/);
    for (let dir = unpacked; dir !== join(dir, '..'); dir = join(dir, '..')) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);

    // A user who fills in only the allowed destinations; every other field keeps its default (blank key and secret: sandbox).
    const entry = manifest.server.mcp_config.args[0].replace('${__dirname}', unpacked);
    const server = await spawnServer(appEnvironment({ allowed_destinations: '+46' }), [], undefined, { bin: entry, cwd: unpacked });
    try {
      expect(server.client.getServerVersion()?.version).toBe(manifest.version);
      const listed = (await server.client.listTools()).tools.map((t) => t.name);
      expect(listed).toEqual(manifest.tools.map((t: { name: string }) => t.name));
      const lookup = await server.client.callTool({ name: 'lookup_number', arguments: { number: '+46 70 816 87 31' } });
      expect(lookup.isError, JSON.stringify(lookup.content)).toBeFalsy();
      expect(lookup.structuredContent).toMatchObject({ status: 'done', sandbox: true, result: { number: '+46708168731' } });
      expect(server.stderr()).toMatch(/sandbox mode/);
    } finally {
      await server.close();
    }
  });
});
