// Remote mode's configuration: it never starts without authentication, and --print-config says what it does.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { describeConfig } from '../../src/cli/print-config.js';

describe('remote mode configuration', () => {
  it('refuses to start without authentication, naming both ways to give it', () => {
    expect(() => loadConfig({ SINCH_HTTP: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ SINCH_HTTP_PORT: '9000' })).toThrow(/SINCH_OAUTH_ISSUER and SINCH_OAUTH_AUDIENCE .* or SINCH_HTTP_TOKENS_FILE/);
    expect(() => loadConfig({ SINCH_HTTP: 'true', SINCH_OAUTH_ISSUER: 'https://login.example.com' })).toThrow(/SINCH_OAUTH_AUDIENCE is missing/);
    expect(() => loadConfig({ SINCH_HTTP: 'true', SINCH_OAUTH_ISSUER: 'http://login.example.com', SINCH_OAUTH_AUDIENCE: 'x' })).toThrow(/must use https/);
  });

  it('SINCH_OAUTH_CLIENT_ID turns on sign-in at the issuer; its secret comes from the environment only and is never printed', () => {
    const oauth = { SINCH_HTTP: 'true', SINCH_OAUTH_ISSUER: 'https://login.example.com', SINCH_OAUTH_AUDIENCE: 'https://mcp.example.com/mcp' };
    expect(loadConfig(oauth).http?.auth).not.toHaveProperty('signIn.clientId');
    const config = loadConfig({ ...oauth, SINCH_OAUTH_CLIENT_ID: 'pages', SINCH_OAUTH_CLIENT_SECRET: 'client-s3cret-value' });
    expect(config.http?.auth).toMatchObject({ signIn: { clientId: 'pages', clientSecret: 'client-s3cret-value' } });
    expect(describeConfig(config)).not.toContain('client-s3cret-value');
    expect(loadConfig({ ...oauth, SINCH_OAUTH_CLIENT_ID: 'pages' }).http?.auth).toMatchObject({ signIn: { clientId: 'pages', clientSecret: undefined } });
    expect(() => loadConfig({ ...oauth, SINCH_OAUTH_CLIENT_SECRET: 'client-s3cret-value' })).toThrow(/without SINCH_OAUTH_CLIENT_ID/);
    expect(() => loadConfig({ SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/t', SINCH_OAUTH_CLIENT_ID: 'pages' })).toThrow(/SINCH_OAUTH_CLIENT_ID needs SINCH_OAUTH_ISSUER/);
  });

  it('stdio stays the default; --http or a port turns remote mode on', () => {
    expect(loadConfig({}).http).toBeUndefined();
    const tokens = { SINCH_HTTP_TOKENS_FILE: '/etc/sinch/tokens' };
    expect(loadConfig({ ...tokens }, { SINCH_HTTP: 'true' }).http).toMatchObject({ host: '127.0.0.1', port: 8080, auth: { kind: 'tokens', file: '/etc/sinch/tokens' } });
    expect(loadConfig({ ...tokens, SINCH_HTTP_PORT: '9000', SINCH_HTTP_ALLOWED_HOSTS: '*' }).http).toMatchObject({ port: 9000, allowedHosts: [] });
  });

  it('SINCH_REDIS_URL must be a redis URL, and its password never appears in the printed configuration', () => {
    expect(() => loadConfig({ SINCH_REDIS_URL: 'http://cache:6379' })).toThrow(/redis:\/\/ or rediss:\/\//);
    const config = loadConfig({ SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/t', SINCH_REDIS_URL: 'redis://ops:s3cret-pass@cache:6379/2', SINCH_STATE_SECRET: STATE_SECRET });
    const printed = describeConfig(config);
    expect(printed).toMatch(/SINCH_STATE_SECRET set\)/);
    expect(printed).not.toContain(STATE_SECRET);
    expect(printed).toMatch(/transport: +remote mode: MCP Streamable HTTP on 127\.0\.0\.1:8080\/mcp, static bearer tokens/);
    expect(printed).toMatch(/shared state: +Redis/);
    // Remote mode never uses the form dialog unless forced: the route is URL elicitation, else the relayed link.
    expect(printed).toMatch(/^confirmations: +auto: URL elicitation to the approval page on this service \(the approver signs in\), else the tool answers confirmation_required with that link for the model to relay/m);
    expect(printed).not.toMatch(/^confirmations:.*form dialog/m);
    expect(printed).toMatch(/^pending approvals: +at most 20 per caller and 200 per instance/m);
    expect(describeConfig(loadConfig({ SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/t', SINCH_CONFIRMATION_MODE: 'form' }))).toMatch(/^confirmations: +form: always the client's form dialog \(forced/m);
    expect(printed).not.toContain('s3cret-pass');
  });

  it('SINCH_STATE_SECRET: required with SINCH_REDIS_URL, at least 32 bytes, from the environment only, never echoed', () => {
    const redis = { SINCH_REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig({}).stateSecret).toBeUndefined();
    expect(() => loadConfig(redis)).toThrow(/^SINCH_STATE_SECRET is missing: with SINCH_REDIS_URL set/);
    expect(() => loadConfig({ ...redis, SINCH_STATE_SECRET: 'x'.repeat(31) })).toThrow(/^SINCH_STATE_SECRET is too short/);
    expect(() => loadConfig({ ...redis, SINCH_STATE_SECRET: '${STATE_SECRET}' })).toThrow(/^SINCH_STATE_SECRET is missing/);
    // A flag never carries it, whatever a caller of loadConfig passes.
    expect(() => loadConfig(redis, { SINCH_STATE_SECRET: STATE_SECRET })).toThrow(/^SINCH_STATE_SECRET is missing/);
    const short = 'short-previous-secret';
    expect(() => loadConfig({ ...redis, SINCH_STATE_SECRET: STATE_SECRET, SINCH_STATE_SECRET_PREVIOUS: short })).toThrow(/^SINCH_STATE_SECRET_PREVIOUS is too short/);
    let message = '';
    try {
      loadConfig({ ...redis, SINCH_STATE_SECRET: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(short);
    const rotating = loadConfig({ ...redis, SINCH_STATE_SECRET: STATE_SECRET, SINCH_STATE_SECRET_PREVIOUS: 'p'.repeat(32) });
    expect(rotating.stateSecret).toEqual({ current: STATE_SECRET, previous: 'p'.repeat(32) });
    expect(describeConfig(rotating)).toMatch(/SINCH_STATE_SECRET_PREVIOUS set: rotating/);
  });
});

const STATE_SECRET = 'a-state-secret-of-at-least-32-bytes-0001';
