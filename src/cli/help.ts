// `--help`: for a person at a terminal, so it goes to stdout and MCP is not started.
import { SWITCH_VARIABLES, VALUE_VARIABLES } from './args.js';
import { flagFor } from '../config/sources.js';
import { VERSION } from '../support/version.js';

// One line per variable; README's Configuration section has the long form.
const VARIABLES: Array<[string, string]> = [
  ['SINCH_APPLICATION_KEY', 'Voice app key (environment only). Unset together with the secret: sandbox mode.'],
  ['SINCH_APPLICATION_SECRET', 'Voice app secret (environment only; never logged or accepted as an argument).'],
  ['SINCH_AUTH', 'signed (default, HMAC-signed requests) or basic.'],
  ['SINCH_REGION', 'global (default), use1, euc1, sae1, apse1 or apse2: picks the calling host.'],
  ['SINCH_CALLING_URL', 'full base URL override for calls, conferences and callouts (live mode only).'],
  ['SINCH_MANAGEMENT_URL', 'full base URL override for numbers, callbacks and lookups (live mode only).'],
  ['SINCH_TIMEOUT_MS', 'per-request deadline in ms, retries included (default 10000).'],
  ['SINCH_MAX_CONNECTIONS', 'keep-alive connections per host (default 16).'],
  ['SINCH_CLI', 'default caller id for callouts (E.164).'],
  ['SINCH_DEFAULT_COUNTRY', 'ISO country for numbers written without a country code, e.g. SE.'],
  ['SINCH_READ_ONLY', 'true: only read tools; false: no restriction.'],
  ['SINCH_TOOLSETS', 'comma list of numbers, callbacks, lookup, calls, conferences, callouts; all: no restriction.'],
  ['SINCH_ALLOWED_DESTINATIONS', 'comma list of E.164 prefixes and sip:*@host entries callouts may ring; *: any number.'],
  ['SINCH_MAX_CALLOUTS_PER_MINUTE', 'callout rate cap for this process (default 10).'],
  ['SINCH_DANGEROUSLY_SKIP_CONFIRMATION', 'true: confirmations off, for unattended automation.'],
  ['SINCH_CONFIRMATION_MODE', 'auto (default), form, app, page or token: how a person confirms an action.'],
  ['SINCH_CONFIRM_TIMEOUT_MS', 'how long to wait for a person to confirm (default 300000).'],
  ['SINCH_APPROVAL_PORT', 'port of the local approval page (default: any free port).'],
  ['SINCH_STATE_FILE', 'file where call state survives a restart (default: memory only).'],
  ['SINCH_AUDIT_LOG', 'file that also receives the audit lines (they always go to stderr).'],
  ['SINCH_SANDBOX_PORT', 'port of the embedded sandbox (default: any free port).'],
  ['SINCH_CALLBACK_PORT', 'turns the callback receiver on, on this port (0: any free port).'],
  ['SINCH_CALLBACK_HOST', 'address the receiver binds (default 127.0.0.1).'],
  ['SINCH_CALLBACK_PUBLIC_URL', 'the https URL Sinch calls (tunnel or reverse proxy); required with the port.'],
  ['SINCH_CALLBACK_MAX_AGE_S', 'oldest callback timestamp accepted, in seconds (default 300).'],
  ['SINCH_EVENTS_LOG', 'file that also receives every call event as a JSON line.'],
  ['SINCH_ICE_SVAML', 'SVAML JSON answered to incoming calls.'],
  ['SINCH_HTTP', 'true (or --http): remote mode, MCP over Streamable HTTP for a team, instead of stdio.'],
  ['SINCH_HTTP_PORT', 'port of remote mode (default 8080); setting it turns remote mode on.'],
  ['SINCH_HTTP_HOST', 'address remote mode binds (default 127.0.0.1).'],
  ['SINCH_HTTP_PUBLIC_URL', 'the public URL of /mcp behind a proxy (names the protected resource).'],
  ['SINCH_HTTP_ALLOWED_HOSTS', 'Host headers accepted (default: the bound address and localhost; *: any).'],
  ['SINCH_HTTP_ALLOWED_ORIGINS', 'Origin headers accepted on /mcp when a browser sends one.'],
  ['SINCH_HTTP_TOKENS_FILE', 'static bearer tokens: one "<sha256 hex> <scope,scope> [name]" per line.'],
  ['SINCH_OAUTH_ISSUER', 'OAuth authorization server whose JWTs are accepted (with SINCH_OAUTH_AUDIENCE).'],
  ['SINCH_OAUTH_AUDIENCE', 'the audience those JWTs must carry.'],
  ['SINCH_OAUTH_JWKS_URL', 'where the signing keys are (default: from the issuer metadata).'],
  ['SINCH_REDIS_URL', 'redis:// URL: shared state for several instances (default: memory).'],
  ['SINCH_STATE_SECRET', 'with SINCH_REDIS_URL: at least 32 bytes, the same on every instance (environment only).'],
  ['SINCH_STATE_SECRET_PREVIOUS', 'during a rotation: the secret being replaced, still accepted when reading.'],
];

export function helpText(): string {
  const width = Math.max(...VARIABLES.map(([name]) => name.length)) + 2;
  const flag = (variable: string, value: string) => `  ${`${flagFor(variable)}${value}`.padEnd(width + 8)}sets ${variable}`;
  return [
    `sinch-calling-mcp ${VERSION}: an MCP server (stdio) for the Sinch Calling API v1, with confirmations`,
    'for actions and an embedded sandbox used when no credentials are set.',
    '',
    'Usage: sinch-calling-mcp [flags]     (an MCP client starts it; stdout carries only JSON-RPC)',
    '',
    'Flags:',
    `  ${'--help, -h'.padEnd(width + 8)}this text`,
    `  ${'--version'.padEnd(width + 8)}the version`,
    `  ${'--print-config'.padEnd(width + 8)}what this configuration would do, secrets masked, then exit`,
    ...SWITCH_VARIABLES.map((v) => flag(v, '[=true|false]')),
    ...VALUE_VARIABLES.map((v) => flag(v, ' VALUE')),
    'A value flag takes --flag=VALUE or --flag VALUE; a switch is true alone and takes a value only after =.',
    'Restrictions (read-only, toolsets, allowed destinations, rate cap) given both as a variable and as a flag:',
    'the stricter wins. Empty or placeholder values for them are errors. Credentials are never read from flags.',
    '',
    'Environment variables:',
    ...VARIABLES.map(([name, meaning]) => `  ${name.padEnd(width)}${meaning}`),
    '',
    'Exit codes: 0 done, 1 unexpected failure, 2 configuration error (one line on stderr names the fix).',
    '',
  ].join('\n');
}
