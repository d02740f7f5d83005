import { describe, expect, it } from 'vitest';
import { ConfigError, TOOLSETS, loadConfig, parseArgs } from '../../src/config.js';

const SECRET = 'JViE5vDor0Sw3WllZka15Q==';

describe('loadConfig', () => {
  it('no credentials: sandbox mode with defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'sandbox', auth: 'signed', region: 'global', timeoutMs: 10_000, readOnly: false, maxCalloutsPerMinute: 10 });
    expect(config.toolsets).toEqual([...TOOLSETS]);
    expect(config.callingUrl).toBeUndefined();
  });

  it('treats an unexpanded ${VAR} placeholder as unset', () => {
    expect(loadConfig({ SINCH_APPLICATION_KEY: '${SINCH_APPLICATION_KEY}', SINCH_APPLICATION_SECRET: '${SINCH_APPLICATION_SECRET}' }).mode).toBe('sandbox');
    expect(loadConfig({ SINCH_CLI: '${SINCH_CLI:-}' }).cli).toBeUndefined();
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

describe('parseArgs', () => {
  it('maps flags to variables and never takes credentials', () => {
    expect(parseArgs(['--read-only', '--toolsets=calls', '--print-config'])).toEqual({
      printConfig: true,
      overrides: { SINCH_READ_ONLY: 'true', SINCH_TOOLSETS: 'calls' },
    });
    expect(() => parseArgs(['--application-secret=abc'])).toThrow(/never from arguments/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
  });
});
