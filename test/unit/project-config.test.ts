// Sinch project credentials for Number Lookup: all three or none, from the environment only, never echoed.
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/cli/print-config.js';
import { loadConfig, readConfig } from '../../src/config/config.js';

const ENV = { SINCH_PROJECT_ID: 'p-123', SINCH_KEY_ID: 'k-456', SINCH_KEY_SECRET: 'very-secret-789' };

describe('project credentials (lookup-plus)', () => {
  it('are read from the environment, all three together', () => {
    expect(loadConfig(ENV).project).toEqual({ projectId: 'p-123', keyId: 'k-456', keySecret: 'very-secret-789' });
    expect(loadConfig({}).project).toBeUndefined();
    expect(loadConfig({}).toolsets).toContain('lookup-plus');
  });

  it('name what is missing, never the secret', () => {
    expect(() => loadConfig({ SINCH_PROJECT_ID: 'p-123' })).toThrow(/^SINCH_KEY_ID and SINCH_KEY_SECRET are missing: Number Lookup \(lookup-plus\) needs/);
    expect(() => loadConfig({ SINCH_KEY_ID: 'k', SINCH_KEY_SECRET: 'very-secret-789' })).toThrow(/^SINCH_PROJECT_ID is missing/);
    expect(() => loadConfig({ ...ENV, SINCH_PROJECT_ID: 'p/../x' })).toThrow(/^SINCH_PROJECT_ID="p\/..\/x" is not a project id/);
    try {
      loadConfig({ ...ENV, SINCH_KEY_ID: 'a:b' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^SINCH_KEY_ID is not an access key id/);
      expect((error as Error).message).not.toContain('very-secret-789');
    }
  });

  it('are never taken from flags', () => {
    expect(loadConfig({}, ENV).project).toBeUndefined();
  });

  it('a placeholder secret is reported without its text, and counts as unset', () => {
    const { warnings } = readConfig({ SINCH_KEY_SECRET: '${SECRET:-very-secret-789}' });
    expect(warnings.join('\n')).toMatch(/SINCH_KEY_SECRET holds the unexpanded placeholder;/);
    expect(warnings.join('\n')).not.toContain('very-secret-789');
  });

  it('--print-config says whether Number Lookup is on, with the secret hidden', () => {
    expect(describeConfig(loadConfig({}))).toMatch(/number lookup: +off \(set SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET/);
    const on = describeConfig(loadConfig(ENV));
    expect(on).toMatch(/number lookup: +on, project p-123, key secret \(set, hidden\), answered by the embedded sandbox/);
    expect(on).not.toContain('very-secret-789');
    expect(describeConfig(loadConfig({ ...ENV, SINCH_TOOLSETS: 'lookup' }))).toMatch(/off \(project credentials set, but SINCH_TOOLSETS leaves out lookup-plus\)/);
  });
});
