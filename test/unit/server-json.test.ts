// server.json, the entry for the official MCP server registry: valid against the registry's published
// schema (a copy in test/fixtures) and in step with package.json and the variables the server reads.
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const schema = readJson('test/fixtures/server.schema.2025-12-11.json');
const server = readJson('server.json');
const pkg = readJson('package.json');
const npmEntry = server.packages.find((p: { registryType: string }) => p.registryType === 'npm');

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its function may sit under `default`.
  const plugin = addFormatsModule as unknown as ((a: Ajv) => Ajv) & { default?: (a: Ajv) => Ajv };
  (plugin.default ?? plugin)(ajv);
  return ajv.compile(schema);
}

describe('server.json', () => {
  it('validates against the registry schema it names', () => {
    expect(schema.$id).toBe(server.$schema);
    const validate = validator();
    expect(validate(server), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is rejected by that schema when broken, so the check above can fail', () => {
    const validate = validator();
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
    expect(validate({ ...server, name: 'no-namespace' })).toBe(false);
  });

  it('names the npm package, version and mcpName of package.json', () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(npmEntry).toMatchObject({ identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(server.repository.url).toBe(pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, ''));
  });

  it('lists the credentials, marking only the secret as secret, and only variables the server reads', () => {
    const variables: Array<{ name: string; isSecret?: boolean }> = npmEntry.environmentVariables;
    const secrets = variables.filter((v) => v.isSecret).map((v) => v.name);
    expect(secrets).toEqual(['SINCH_APPLICATION_SECRET']);
    expect(variables.map((v) => v.name)).toContain('SINCH_APPLICATION_KEY');
    // Configuration is read in a few modules (config, restrictions, …): every listed variable is read somewhere.
    const sources = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(`src/${file}`, 'utf8'))
      .join('\n');
    for (const { name } of variables) expect(sources, name).toContain(name);
  });
});
