import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { ConfigError, TOOLSETS, loadConfig, readConfig } from '../../src/config/config.js';

const SECRET = 'JViE5vDor0Sw3WllZka15Q==';

describe('loadConfig', () => {
  it('no credentials: sandbox mode with defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'sandbox', auth: 'signed', region: 'global', timeoutMs: 10_000, readOnly: false, maxCalloutsPerMinute: 10 });
    expect(config.toolsets).toEqual([...TOOLSETS]);
    expect(config.callingUrl).toBeUndefined();
  });

  it('credentials: live mode on the regional hosts', () => {
    const config = loadConfig({ SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: SECRET, SINCH_REGION: 'euc1' });
    expect(config.mode).toBe('live');
    expect(config.callingUrl).toBe('https://calling-euc1.api.sinch.com/calling/v1');
    expect(config.managementUrl).toBe('https://callingapi.sinch.com/v1');
    expect(loadConfig({ SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: SECRET }).callingUrl).toBe('https://calling.api.sinch.com/calling/v1');
  });

  it.each([
    [{ SINCH_APPLICATION_KEY: 'k' }, /^SINCH_APPLICATION_SECRET is missing/],
    [{ SINCH_APPLICATION_SECRET: SECRET }, /^SINCH_APPLICATION_KEY is missing/],
    [{ SINCH_AUTH: 'oauth' }, /^SINCH_AUTH="oauth" is not allowed; use one of: signed, basic/],
    [{ SINCH_REGION: 'mars' }, /^SINCH_REGION="mars" is not allowed; use one of: global, use1/],
    [{ SINCH_TIMEOUT_MS: 'soon' }, /^SINCH_TIMEOUT_MS="soon" is not allowed; use a whole number/],
    [{ SINCH_TIMEOUT_MS: '5' }, /^SINCH_TIMEOUT_MS="5" is not allowed/],
    [{ SINCH_CALLING_URL: 'http://example.com/calling/v1' }, /^SINCH_CALLING_URL must use https/],
    [{ SINCH_MANAGEMENT_URL: 'not a url' }, /^SINCH_MANAGEMENT_URL is not a URL/],
    [{ SINCH_TOOLSETS: 'calls,sms' }, /^SINCH_TOOLSETS: "sms" is not a toolset/],
    [{ SINCH_ALLOWED_DESTINATIONS: '46' }, /^SINCH_ALLOWED_DESTINATIONS: "46" is not an E.164 prefix/],
    [{ SINCH_READ_ONLY: 'maybe' }, /^SINCH_READ_ONLY="maybe" is not allowed; use true or false/],
    [{ SINCH_CLI: 'abc' }, /^SINCH_CLI="abc" is not allowed/],
    [{ SINCH_DEFAULT_COUNTRY: 'Sweden' }, /^SINCH_DEFAULT_COUNTRY="Sweden" is not allowed/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses a non-base64 secret for signing without echoing it', () => {
    const env = { SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: 'not*base64!' };
    expect(() => loadConfig(env)).toThrow(/^SINCH_APPLICATION_SECRET is not base64/);
    try {
      loadConfig(env);
    } catch (error) {
      expect(String(error)).not.toContain('not*base64!');
    }
    expect(loadConfig({ ...env, SINCH_AUTH: 'basic' }).auth).toBe('basic');
  });

  it('reads policy switches', () => {
    const config = loadConfig({
      SINCH_READ_ONLY: 'true',
      SINCH_TOOLSETS: 'calls, conferences',
      SINCH_ALLOWED_DESTINATIONS: '+46, +1 415 555',
      SINCH_MAX_CALLOUTS_PER_MINUTE: '3',
      SINCH_CLI: '+46 70 000 00 00',
      SINCH_DEFAULT_COUNTRY: 'se',
    });
    expect(config).toMatchObject({
      readOnly: true,
      toolsets: ['calls', 'conferences'],
      allowedDestinations: ['+46', '+1415555'],
      maxCalloutsPerMinute: 3,
      cli: '+46700000000',
      defaultCountry: 'SE',
    });
  });
});

describe('callback receiver configuration', () => {
  it('is off unless SINCH_CALLBACK_PORT is set', () => {
    expect(loadConfig({}).callbacks).toBeUndefined();
    expect(loadConfig({ SINCH_CALLBACK_PUBLIC_URL: 'https://x.example/cb' }).callbacks).toBeUndefined();
  });

  it('takes the public URL’s exact path, defaults the host to loopback and the age to 5 minutes', () => {
    expect(loadConfig({ SINCH_CALLBACK_PORT: '8787', SINCH_CALLBACK_PUBLIC_URL: 'https://abc.trycloudflare.com/sinch/events/', SINCH_EVENTS_LOG: '/tmp/e.log' }).callbacks).toEqual({
      host: '127.0.0.1',
      port: 8787,
      publicUrl: 'https://abc.trycloudflare.com/sinch/events/',
      publicPath: '/sinch/events/',
      maxAgeMs: 300_000,
      eventsLog: '/tmp/e.log',
      iceAnswer: undefined,
    });
  });

  it.each([
    [{ SINCH_CALLBACK_PORT: '8787' }, /^SINCH_CALLBACK_PUBLIC_URL is missing/],
    [{ SINCH_CALLBACK_PORT: 'x', SINCH_CALLBACK_PUBLIC_URL: 'https://a.example/cb' }, /^SINCH_CALLBACK_PORT="x" is not allowed/],
    [{ SINCH_CALLBACK_PORT: '1', SINCH_CALLBACK_PUBLIC_URL: 'http://a.example/cb' }, /^SINCH_CALLBACK_PUBLIC_URL must use https/],
    [{ SINCH_CALLBACK_PORT: '1', SINCH_CALLBACK_PUBLIC_URL: 'https://a.example/cb', SINCH_ICE_SVAML: 'nope' }, /^SINCH_ICE_SVAML is not JSON/],
    [{ SINCH_CALLBACK_PORT: '1', SINCH_CALLBACK_PUBLIC_URL: 'https://a.example/cb', SINCH_ICE_SVAML: '{"action":{"name":"dance"}}' }, /^SINCH_ICE_SVAML needs an action/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts ICE SVAML', () => {
    const config = loadConfig({ SINCH_CALLBACK_PORT: '1', SINCH_CALLBACK_PUBLIC_URL: 'https://a.example/cb', SINCH_ICE_SVAML: '{"action":{"name":"connectConf","conferenceId":"lobby"}}' });
    expect(config.callbacks?.iceAnswer).toEqual({ instructions: [], action: { name: 'connectConf', conferenceId: 'lobby' } });
  });
});

describe('placeholders a client passed through unexpanded', () => {
  const FORMS = ['${user_config.application_secret}', '${env:SINCH_APPLICATION_SECRET}', '${input:sinch-secret}', '${SINCH_APPLICATION_SECRET}', '${SINCH_APPLICATION_SECRET:-}'];

  it.each(FORMS)('credentials given %s count as not set (sandbox), with one warning per variable and no secret text', (form) => {
    const { config, warnings } = readConfig({ SINCH_APPLICATION_KEY: form.replace('SECRET', 'KEY').replace('secret', 'key'), SINCH_APPLICATION_SECRET: form });
    expect(config.mode).toBe('sandbox');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^SINCH_APPLICATION_KEY holds the unexpanded placeholder \$\{.*\}; treated as not set/);
    expect(warnings[1]).toMatch(/^SINCH_APPLICATION_SECRET holds the unexpanded placeholder; treated as not set/);
  });

  it.each(FORMS)('a real key with the secret given %s: "secret is missing", not "not base64"', (form) => {
    expect(() => loadConfig({ SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: form })).toThrow(/^SINCH_APPLICATION_SECRET is missing/);
  });

  it.each([
    ['SINCH_CLI', '${input:sinch-cli}', 'cli'],
    ['SINCH_DEFAULT_COUNTRY', '${user_config.default_country}', 'defaultCountry'],
    ['SINCH_CALLING_URL', '${env:SINCH_CALLING_URL}', 'callingUrl'],
    ['SINCH_AUDIT_LOG', '${SINCH_AUDIT_LOG:-/tmp/x.log}', 'auditLog'],
    ['SINCH_CALLBACK_PORT', '${SINCH_CALLBACK_PORT}', 'callbacks'],
  ] as const)('%s=%s is not set, with exactly one warning naming it and the placeholder', (name, form, field) => {
    const { config, warnings } = readConfig({ [name]: form });
    expect(config[field]).toBeUndefined();
    expect(warnings).toEqual([`${name} holds the unexpanded placeholder ${form}; treated as not set (check the client's configuration).`]);
  });

  it('a placeholder flag falls back to the environment and names the flag', () => {
    const { config, warnings } = readConfig({ SINCH_REGION: 'euc1', SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: SECRET, SINCH_ALLOWED_DESTINATIONS: '+46' }, { SINCH_REGION: '${user_config.region}' });
    expect(config.region).toBe('euc1');
    expect(warnings).toEqual([expect.stringMatching(/^--region holds the unexpanded placeholder \$\{user_config\.region\}/)]);
  });
});

describe('restrictions only tighten', () => {
  const strict = { SINCH_READ_ONLY: 'true', SINCH_ALLOWED_DESTINATIONS: '+46', SINCH_MAX_CALLOUTS_PER_MINUTE: '1', SINCH_TOOLSETS: 'calls' };

  it.each([
    ['SINCH_READ_ONLY', '--read-only'],
    ['SINCH_TOOLSETS', '--toolsets'],
    ['SINCH_ALLOWED_DESTINATIONS', '--allowed-destinations'],
    ['SINCH_MAX_CALLOUTS_PER_MINUTE', '--max-callouts-per-minute'],
  ])('%s: an empty flag or a placeholder flag is an error naming the flag, not "no restriction"', (name, flag) => {
    expect(() => loadConfig(strict, { [name]: '' })).toThrow(new RegExp(`^${flag} is empty, which is not "no restriction"`));
    expect(() => loadConfig(strict, { [name]: `\${${name}}` })).toThrow(new RegExp(`^${flag}=\\$\\{${name}\\} is an unexpanded placeholder`));
  });

  it.each([
    ['SINCH_READ_ONLY', 'true or false'],
    ['SINCH_TOOLSETS', 'or all'],
    ['SINCH_ALLOWED_DESTINATIONS', 'or \\* for any destination'],
    ['SINCH_MAX_CALLOUTS_PER_MINUTE', 'whole number'],
  ])('%s: empty, blank or a placeholder in the environment is an error naming it', (name, allowed) => {
    for (const value of ['', '  ', '${user_config.x}', '${env:X}', '${input:x}', '${X:-}']) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}.*${allowed}`));
    }
  });

  it('refuses an allow-list of nothing but separators, and * mixed with prefixes', () => {
    expect(() => loadConfig({ SINCH_ALLOWED_DESTINATIONS: ', ,' })).toThrow(/^SINCH_ALLOWED_DESTINATIONS=", ," lists no prefix/);
    expect(() => loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+46,*' })).toThrow(/"\*" is not an E.164 prefix; \* \(any destination\) stands alone/);
    expect(() => loadConfig({ SINCH_TOOLSETS: ' , ' })).toThrow(/^SINCH_TOOLSETS="," names no toolset/);
  });

  it('explicit "no restriction" values: false, all, *', () => {
    const config = loadConfig({ SINCH_READ_ONLY: 'false', SINCH_TOOLSETS: 'all', SINCH_ALLOWED_DESTINATIONS: '*' });
    expect(config).toMatchObject({ readOnly: false, toolsets: [...TOOLSETS], allowedDestinations: [] });
  });

  it('read-only if either says so', () => {
    expect(loadConfig({ SINCH_READ_ONLY: 'true' }, { SINCH_READ_ONLY: 'false' }).readOnly).toBe(true);
    expect(loadConfig({ SINCH_READ_ONLY: 'false' }, { SINCH_READ_ONLY: 'true' }).readOnly).toBe(true);
    expect(loadConfig({}, { SINCH_READ_ONLY: 'true' }).readOnly).toBe(true);
    expect(loadConfig({ SINCH_READ_ONLY: 'false' }, { SINCH_READ_ONLY: 'false' }).readOnly).toBe(false);
  });

  it('toolsets: the intersection; none in common is an error naming both', () => {
    expect(loadConfig({ SINCH_TOOLSETS: 'calls,numbers,lookup' }, { SINCH_TOOLSETS: 'lookup,callouts,calls' }).toolsets).toEqual(['lookup', 'calls']);
    expect(loadConfig({ SINCH_TOOLSETS: 'all' }, { SINCH_TOOLSETS: 'numbers' }).toolsets).toEqual(['numbers']);
    expect(loadConfig({ SINCH_TOOLSETS: 'numbers' }, { SINCH_TOOLSETS: 'all' }).toolsets).toEqual(['numbers']);
    expect(() => loadConfig({ SINCH_TOOLSETS: 'calls' }, { SINCH_TOOLSETS: 'numbers' })).toThrow(/^SINCH_TOOLSETS="calls" and --toolsets="numbers" have no toolset in common/);
  });

  it('allow-lists: the prefix intersection (the longer prefix stays, disjoint ones go); none in common is an error naming both', () => {
    expect(loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+46,+1' }, { SINCH_ALLOWED_DESTINATIONS: '+4670,+33,+1415' }).allowedDestinations).toEqual(['+4670', '+1415']);
    expect(loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+4670' }, { SINCH_ALLOWED_DESTINATIONS: '+46' }).allowedDestinations).toEqual(['+4670']);
    expect(loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+46,+4670' }, { SINCH_ALLOWED_DESTINATIONS: '+46' }).allowedDestinations).toEqual(['+46']);
    expect(loadConfig({ SINCH_ALLOWED_DESTINATIONS: '*' }, { SINCH_ALLOWED_DESTINATIONS: '+46' }).allowedDestinations).toEqual(['+46']);
    expect(loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+46' }, { SINCH_ALLOWED_DESTINATIONS: '*' }).allowedDestinations).toEqual(['+46']);
    expect(() => loadConfig({ SINCH_ALLOWED_DESTINATIONS: '+46' }, { SINCH_ALLOWED_DESTINATIONS: '+1' })).toThrow(
      /^SINCH_ALLOWED_DESTINATIONS="\+46" and --allowed-destinations="\+1" allow no destination in common/,
    );
  });

  it('rate cap: the lower one', () => {
    expect(loadConfig({ SINCH_MAX_CALLOUTS_PER_MINUTE: '2' }, { SINCH_MAX_CALLOUTS_PER_MINUTE: '50' }).maxCalloutsPerMinute).toBe(2);
    expect(loadConfig({ SINCH_MAX_CALLOUTS_PER_MINUTE: '50' }, { SINCH_MAX_CALLOUTS_PER_MINUTE: '3' }).maxCalloutsPerMinute).toBe(3);
    expect(() => loadConfig({}, { SINCH_MAX_CALLOUTS_PER_MINUTE: '0' })).toThrow(/^--max-callouts-per-minute="0" is not allowed; use a whole number from 1 to 1000/);
  });

  it('live mode without an allow-list: one warning; with one, or in sandbox mode: none', () => {
    const live = { SINCH_APPLICATION_KEY: 'k', SINCH_APPLICATION_SECRET: SECRET };
    expect(readConfig(live).warnings).toEqual([expect.stringMatching(/^WARNING: live mode without an allow-list: callouts may dial any number/)]);
    expect(readConfig({ ...live, SINCH_ALLOWED_DESTINATIONS: '*' }).warnings).toHaveLength(1);
    expect(readConfig({ ...live, SINCH_ALLOWED_DESTINATIONS: '+46' }).warnings).toEqual([]);
    expect(readConfig({}).warnings).toEqual([]);
  });
});

describe('sandbox mode ignores URL overrides', () => {
  it('leaves the URLs to the sandbox and says which overrides it ignored', () => {
    const { config, warnings } = readConfig({ SINCH_CALLING_URL: 'https://calling-euc1.api.sinch.com/calling/v1', SINCH_MANAGEMENT_URL: 'https://x.example/v1', SINCH_REGION: 'euc1' });
    expect(config.callingUrl).toBeUndefined();
    expect(config.managementUrl).toBeUndefined();
    expect(warnings).toEqual(['SINCH_CALLING_URL and SINCH_MANAGEMENT_URL ignored in sandbox mode (no credentials set): the embedded sandbox on 127.0.0.1 answers.']);
    expect(() => loadConfig({ SINCH_CALLING_URL: 'http://example.com' })).toThrow(/^SINCH_CALLING_URL must use https/);
  });
});

describe('parseArgs', () => {
  it('takes --flag=value and --flag value; a switch alone means true', () => {
    expect(parseArgs(['--read-only', '--toolsets=calls', '--allowed-destinations', '+46', '--print-config', '--max-callouts-per-minute', '3'])).toEqual({
      command: 'print-config',
      flags: { SINCH_READ_ONLY: 'true', SINCH_TOOLSETS: 'calls', SINCH_ALLOWED_DESTINATIONS: '+46', SINCH_MAX_CALLOUTS_PER_MINUTE: '3' },
    });
    expect(parseArgs(['--read-only=false', '--dangerously-skip-confirmation']).flags).toEqual({ SINCH_READ_ONLY: 'false', SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' });
    expect(parseArgs(['--toolsets=']).flags).toEqual({ SINCH_TOOLSETS: '' });
    expect(parseArgs([])).toEqual({ command: 'serve', flags: {} });
  });

  it('a switch never takes the next argument: --read-only false is refused with the = form to use', () => {
    expect(() => parseArgs(['--read-only', 'false'])).toThrow(/^"false": unexpected argument\. --read-only is a switch: write --read-only=false\./);
    expect(() => parseArgs(['calls'])).toThrow(/^"calls": unexpected argument/);
  });

  it('a value flag without its value, or given twice, is refused', () => {
    expect(() => parseArgs(['--toolsets'])).toThrow(/^--toolsets needs a value: --toolsets=VALUE or --toolsets VALUE/);
    expect(() => parseArgs(['--toolsets', '--read-only'])).toThrow(/^--toolsets needs a value/);
    expect(() => parseArgs(['--toolsets=calls', '--toolsets', 'numbers'])).toThrow(/^--toolsets is given twice/);
  });

  it('never takes credentials; refuses unknown flags; help and version win', () => {
    expect(() => parseArgs(['--application-secret=abc'])).toThrow(/never from arguments/);
    expect(() => parseArgs(['--application-key', 'abc'])).toThrow(/never from arguments/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
    expect(parseArgs(['--bogus', '--help']).command).toBe('help');
    expect(parseArgs(['-h']).command).toBe('help');
    expect(parseArgs(['--version']).command).toBe('version');
  });
});

describe('the shipped mcp.json', () => {
  it('gives every ${VAR} a default (Claude Code refuses an unset one without), and the server accepts the defaults', () => {
    const env = JSON.parse(readFileSync('mcp.json', 'utf8')).mcpServers['sinch-calling'].env as Record<string, string>;
    const expanded: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (value.includes('${')) expect(value, name).toMatch(/^\$\{[A-Z_]+:-[^}]*\}$/);
      // What Claude Code passes with none of the variables set: each default.
      expanded[name] = value.replace(/^\$\{[A-Z_]+:-([^}]*)\}$/, '$1');
    }
    expect(readConfig(expanded)).toEqual({ config: expect.objectContaining({ mode: 'sandbox', allowedDestinations: [] }), warnings: [] });
  });
});
