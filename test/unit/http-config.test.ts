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
    const config = loadConfig({ SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/t', SINCH_REDIS_URL: 'redis://ops:s3cret-pass@cache:6379/2' });
    const printed = describeConfig(config);
    expect(printed).toMatch(/transport: +remote mode: MCP Streamable HTTP on 127\.0\.0\.1:8080\/mcp, static bearer tokens/);
    expect(printed).toMatch(/shared state: +Redis/);
    expect(printed).toMatch(/URL elicitation to the approval page \(behind the approver's sign-in\), else refused/);
    expect(printed).not.toContain('s3cret-pass');
  });
});
