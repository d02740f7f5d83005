// Environment (and a few non-secret CLI flags) -> typed configuration.
// Every error names the variable to fix and what is allowed; no secret is ever echoed.
import { ConfigError } from './error.js';
import { ConfigSources, type Env } from './sources.js';
import { wholeNumber, yesNo } from './values.js';
import { isLoopback } from '../support/loopback.js';
import { ICE_ACTIONS, type SvamlAnswer } from '../sinch/svaml.js';
import { readRestrictions } from './restrictions.js';
import type { AuthScheme, Credentials, ProjectCredentials } from '../sinch/credentials.js';
import { projectCredentials } from './project.js';
import { DEFAULT_MANAGEMENT_URL, REGIONS, type Region, callingUrlFor } from '../sinch/hosts.js';

export { ConfigError } from './error.js';
export type { Env } from './sources.js';
export { TOOLSETS, type Toolset } from '../kinds/tools.js';
import type { Toolset } from '../kinds/tools.js';
import { CONFIRMATION_MODES, type ConfirmationMode } from '../kinds/confirmation.js';
export { CONFIRMATION_MODES, type ConfirmationMode } from '../kinds/confirmation.js';

export interface Config {
  /** Live when credentials are set; otherwise the embedded sandbox answers. */
  mode: 'live' | 'sandbox';
  credentials?: Credentials;
  auth: AuthScheme;
  region: Region;
  /** Undefined in sandbox mode until the sandbox has started (then its URLs are used). */
  callingUrl?: string;
  managementUrl?: string;
  timeoutMs: number;
  maxConnections: number;
  cli?: string;
  defaultCountry?: string;
  readOnly: boolean;
  toolsets: Toolset[];
  allowedDestinations: string[];
  maxCalloutsPerMinute: number;
  skipConfirmation: boolean;
  /**
   * auto: the client's form dialog, else URL elicitation, else the approval page opened in a browser;
   * form / page: force that step; token: the model relays a single-use token (does not prove a person agreed).
   */
  confirmationMode: ConfirmationMode;
  confirmTimeoutMs: number;
  /** Port of the local approval page (0: any free port); it starts only when first needed. */
  approvalPort: number;
  /** Where call state (labels, regional URLs, conference joins) survives a restart; memory only when unset. */
  stateFile?: string;
  auditLog?: string;
  sandboxPort: number;
  /** The callback receiver; undefined (off) unless SINCH_CALLBACK_PORT is set. */
  callbacks?: CallbackConfig;
  /** Remote mode (--http or SINCH_HTTP_PORT): MCP over Streamable HTTP for a team; stdio otherwise. */
  http?: HttpConfig;
  /** Shared state for several instances (SINCH_REDIS_URL); in memory when unset. */
  redisUrl?: string;
  /**
   * Number Lookup v2 with a project access key (SINCH_PROJECT_ID, SINCH_KEY_ID, SINCH_KEY_SECRET): lookup_number
   * adds carrier, line type, porting and VoIP facts while the lookup-plus toolset is on. In sandbox mode the
   * embedded sandbox answers it, accepting these credentials.
   */
  project?: ProjectCredentials;
  /**
   * With Redis: what authenticates every value and message in it (SINCH_STATE_SECRET, environment only), and
   * during a rotation the secret being replaced (SINCH_STATE_SECRET_PREVIOUS), accepted for reading only.
   */
  stateSecret?: { current: string; previous?: string };
}

export interface HttpConfig {
  host: string;
  port: number;
  /** The public URL of /mcp behind a proxy; names the protected resource and is an allowed Host. */
  publicUrl?: string;
  /** Accepted Host headers; undefined: the bound address and localhost; []: any. */
  allowedHosts?: string[];
  allowedOrigins: string[];
  auth: { kind: 'oauth'; issuer: string; audience: string; jwksUrl?: string; signIn?: OAuthSignIn } | { kind: 'tokens'; file: string };
  /** Who may approve on the page besides an approver other than the caller (confirm/approver-rules.ts). */
  approvers: { allowSelfApproval: boolean; fourEyes: boolean };
}

/** The approval page signs approvers in at the issuer (authorization code + PKCE) as this client. */
export interface OAuthSignIn {
  clientId: string;
  /** Environment only; absent: a public client (PKCE alone). */
  clientSecret?: string;
}

export interface CallbackConfig {
  host: string;
  port: number;
  /** The https URL Sinch calls (through a tunnel or reverse proxy); its path is what Sinch signs. */
  publicUrl: string;
  publicPath: string;
  maxAgeMs: number;
  eventsLog?: string;
  /** SVAML answered to incoming calls (ICE); undefined: a short message and hang up. */
  iceAnswer?: SvamlAnswer;
}

/** The configuration and the warnings to print once at start (placeholders treated as unset, and so on). */
export interface LoadedConfig {
  config: Config;
  warnings: string[];
}

/** `flags` holds command-line values keyed by the variable they set (see cli-args.ts). */
export function loadConfig(env: Env, flags: Env = {}): Config {
  return readConfig(env, flags).config;
}

export function readConfig(env: Env, flags: Env = {}): LoadedConfig {
  const s = new ConfigSources(env, flags);
  const key = s.value('SINCH_APPLICATION_KEY');
  const secret = s.value('SINCH_APPLICATION_SECRET');
  if (key && !secret) throw new ConfigError('SINCH_APPLICATION_SECRET is missing: set both SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET, or neither for sandbox mode.');
  if (secret && !key) throw new ConfigError('SINCH_APPLICATION_KEY is missing: set both SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET, or neither for sandbox mode.');

  const auth = oneOf(s, 'SINCH_AUTH', ['signed', 'basic'] as const, 'signed');
  if (secret && auth === 'signed' && !isBase64(secret)) {
    throw new ConfigError('SINCH_APPLICATION_SECRET is not base64: signed requests need the secret exactly as the Sinch dashboard shows it (or set SINCH_AUTH=basic).');
  }
  const region = oneOf(s, 'SINCH_REGION', REGIONS, 'global');
  const mode = key ? 'live' : 'sandbox';
  const callingUrlOverride = url(s, 'SINCH_CALLING_URL');
  const managementUrlOverride = url(s, 'SINCH_MANAGEMENT_URL');
  if (mode === 'sandbox') {
    // Validated above so a typo still stops the server, but the embedded sandbox answers in this mode.
    // (SINCH_REGION is ignored too; shared client configs often set it, so it gets no warning.)
    const ignored = ['SINCH_CALLING_URL', 'SINCH_MANAGEMENT_URL'].filter((name) => s.value(name) !== undefined);
    if (ignored.length) s.warn('sandbox-urls', `${ignored.join(' and ')} ignored in sandbox mode (no credentials set): the embedded sandbox on 127.0.0.1 answers.`);
  }
  const restrictions = readRestrictions(s);
  if (mode === 'live' && (restrictions.allowedDestinations.length === 0 || restrictions.allowedDestinations.includes('*'))) {
    s.warn('live-any-destination', 'WARNING: live mode without an allow-list: callouts may dial any number. Set SINCH_ALLOWED_DESTINATIONS (e.g. +46,+1415555) to limit them.');
  }

  const config: Config = {
    mode,
    credentials: key && secret ? { key, secret } : undefined,
    auth,
    region,
    callingUrl: mode === 'live' ? (callingUrlOverride ?? callingUrlFor(region)) : undefined,
    managementUrl: mode === 'live' ? (managementUrlOverride ?? DEFAULT_MANAGEMENT_URL) : undefined,
    timeoutMs: integer(s, 'SINCH_TIMEOUT_MS', 10_000, 100, 120_000),
    maxConnections: integer(s, 'SINCH_MAX_CONNECTIONS', 16, 1, 256),
    cli: phoneLike(s, 'SINCH_CLI'),
    defaultCountry: country(s, 'SINCH_DEFAULT_COUNTRY'),
    ...restrictions,
    skipConfirmation: bool(s, 'SINCH_DANGEROUSLY_SKIP_CONFIRMATION'),
    confirmationMode: oneOf(s, 'SINCH_CONFIRMATION_MODE', CONFIRMATION_MODES, 'auto'),
    confirmTimeoutMs: integer(s, 'SINCH_CONFIRM_TIMEOUT_MS', 300_000, 1_000, 3_600_000),
    approvalPort: integer(s, 'SINCH_APPROVAL_PORT', 0, 0, 65_535),
    stateFile: s.value('SINCH_STATE_FILE'),
    auditLog: s.value('SINCH_AUDIT_LOG'),
    sandboxPort: integer(s, 'SINCH_SANDBOX_PORT', 0, 0, 65_535),
    callbacks: callbacks(s),
    http: http(s),
    redisUrl: redisUrl(s),
    project: projectCredentials(s),
    stateSecret: stateSecret(s),
  };
  return { config, warnings: s.warnings };
}

function http(s: ConfigSources): HttpConfig | undefined {
  if (!bool(s, 'SINCH_HTTP') && s.value('SINCH_HTTP_PORT') === undefined) return undefined;
  const issuer = url(s, 'SINCH_OAUTH_ISSUER');
  const audience = s.value('SINCH_OAUTH_AUDIENCE');
  const tokensFile = s.value('SINCH_HTTP_TOKENS_FILE');
  let auth: HttpConfig['auth'];
  if (issuer) {
    if (!audience) throw new ConfigError('SINCH_OAUTH_AUDIENCE is missing: with SINCH_OAUTH_ISSUER set, give the audience your tokens are issued for (e.g. the public URL of /mcp).');
    auth = { kind: 'oauth', issuer: s.value('SINCH_OAUTH_ISSUER')!, audience, jwksUrl: url(s, 'SINCH_OAUTH_JWKS_URL'), signIn: oauthSignIn(s) };
  } else if (tokensFile) {
    if (s.value('SINCH_OAUTH_CLIENT_ID')) throw new ConfigError('SINCH_OAUTH_CLIENT_ID needs SINCH_OAUTH_ISSUER and SINCH_OAUTH_AUDIENCE: interactive sign-in happens at your authorization server.');
    auth = { kind: 'tokens', file: tokensFile };
  } else {
    throw new ConfigError(
      'HTTP mode needs authentication: set SINCH_OAUTH_ISSUER and SINCH_OAUTH_AUDIENCE (JWTs from your authorization server), or SINCH_HTTP_TOKENS_FILE (a file of token hashes and scopes).',
    );
  }
  const list = (name: string) => s.value(name)?.split(',').map((item) => item.trim()).filter(Boolean);
  const hosts = list('SINCH_HTTP_ALLOWED_HOSTS');
  return {
    host: s.value('SINCH_HTTP_HOST') ?? '127.0.0.1',
    port: integer(s, 'SINCH_HTTP_PORT', 8080, 0, 65_535),
    publicUrl: url(s, 'SINCH_HTTP_PUBLIC_URL'),
    allowedHosts: hosts?.includes('*') ? [] : hosts,
    allowedOrigins: list('SINCH_HTTP_ALLOWED_ORIGINS') ?? [],
    auth,
    approvers: approverRules(s),
  };
}

/** SINCH_OAUTH_CLIENT_ID turns on interactive sign-in on the approval page; the secret comes from the environment only. */
function oauthSignIn(s: ConfigSources): OAuthSignIn | undefined {
  const clientId = s.value('SINCH_OAUTH_CLIENT_ID');
  const clientSecret = s.fromEnvironment('SINCH_OAUTH_CLIENT_SECRET');
  if (!clientId) {
    if (clientSecret) throw new ConfigError('SINCH_OAUTH_CLIENT_SECRET is set without SINCH_OAUTH_CLIENT_ID: give the client id the approval page signs in as.');
    return undefined;
  }
  return { clientId, clientSecret };
}

/** Stricter wins: with four eyes on, allowing self-approval changes nothing (and start-up says so). */
function approverRules(s: ConfigSources): HttpConfig['approvers'] {
  const fourEyes = bool(s, 'SINCH_FOUR_EYES');
  const allowSelfApproval = bool(s, 'SINCH_ALLOW_SELF_APPROVAL');
  if (fourEyes && allowSelfApproval) s.warn('four-eyes', 'SINCH_ALLOW_SELF_APPROVAL is ignored: SINCH_FOUR_EYES=true requires an approver other than the caller.');
  return { allowSelfApproval: allowSelfApproval && !fourEyes, fourEyes };
}

function redisUrl(s: ConfigSources): string | undefined {
  const given = s.setting('SINCH_REDIS_URL');
  if (given === undefined) return undefined;
  if (!/^rediss?:\/\//.test(given.value) || !URL.canParse(given.value)) {
    throw new ConfigError(`${given.label} must be a redis:// or rediss:// URL (its password, if any, is never printed).`);
  }
  return given.value;
}

/** The shortest SINCH_STATE_SECRET accepted, in bytes of its UTF-8 text (as HMAC-SHA256's output). */
export const MIN_SECRET_BYTES = 32;

/** Required with SINCH_REDIS_URL (exit 2 without it): Redis is not trusted to say who approved what. */
function stateSecret(s: ConfigSources): Config['stateSecret'] {
  if (s.value('SINCH_REDIS_URL') === undefined) return undefined;
  const read = (name: string, required: boolean): string | undefined => {
    const secret = s.fromEnvironment(name);
    if (secret === undefined && !required) return undefined;
    if (secret === undefined || Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
      throw new ConfigError(
        `${name} is ${secret === undefined ? 'missing' : 'too short'}: with SINCH_REDIS_URL set, give every instance the same secret of at least ${MIN_SECRET_BYTES} bytes in the environment (e.g. openssl rand -base64 48); it authenticates what they share through Redis.`,
      );
    }
    return secret;
  };
  return { current: read('SINCH_STATE_SECRET', true)!, previous: read('SINCH_STATE_SECRET_PREVIOUS', false) };
}

function callbacks(s: ConfigSources): CallbackConfig | undefined {
  if (s.value('SINCH_CALLBACK_PORT') === undefined) return undefined;
  const port = integer(s, 'SINCH_CALLBACK_PORT', 0, 0, 65_535);
  const publicUrl = url(s, 'SINCH_CALLBACK_PUBLIC_URL');
  if (!publicUrl) {
    throw new ConfigError('SINCH_CALLBACK_PUBLIC_URL is missing: with SINCH_CALLBACK_PORT set, give the https URL Sinch will call (e.g. your tunnel URL plus a path such as /sinch/events).');
  }
  // Kept exactly as given (trailing slash included): Sinch signs the path it calls.
  const parsed = new URL(s.value('SINCH_CALLBACK_PUBLIC_URL')!).toString();
  let iceAnswer: CallbackConfig['iceAnswer'];
  const ice = s.value('SINCH_ICE_SVAML');
  if (ice !== undefined) {
    try {
      iceAnswer = JSON.parse(ice);
    } catch {
      throw new ConfigError('SINCH_ICE_SVAML is not JSON: give SVAML such as {"instructions":[],"action":{"name":"hangup"}}.');
    }
    const action = (iceAnswer as { action?: { name?: unknown } } | undefined)?.action?.name;
    if (typeof action !== 'string' || !ICE_ACTIONS.includes(action) || !Array.isArray(iceAnswer?.instructions ?? [])) {
      throw new ConfigError(`SINCH_ICE_SVAML needs an action whose name is one of ${ICE_ACTIONS.join(', ')} (and instructions as a list, if any).`);
    }
    iceAnswer = { instructions: iceAnswer!.instructions ?? [], action: iceAnswer!.action };
  }
  const host = s.value('SINCH_CALLBACK_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new ConfigError(`SINCH_CALLBACK_HOST=${JSON.stringify(host)} is not a host name or address.`);
  return {
    host,
    port,
    publicUrl: parsed,
    publicPath: new URL(parsed).pathname,
    maxAgeMs: integer(s, 'SINCH_CALLBACK_MAX_AGE_S', 300, 1, 86_400) * 1000,
    eventsLog: s.value('SINCH_EVENTS_LOG'),
    iceAnswer,
  };
}

function isBase64(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0;
}

function oneOf<const T extends readonly string[]>(s: ConfigSources, name: string, allowed: T, fallback: T[number]): T[number] {
  const given = s.setting(name);
  if (given === undefined) return fallback;
  const value = given.value.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${given.label}=${JSON.stringify(given.value)} is not allowed; use one of: ${allowed.join(', ')}.`);
  }
  return value as T[number];
}

function integer(s: ConfigSources, name: string, fallback: number, min: number, max: number): number {
  const given = s.setting(name);
  return given === undefined ? fallback : wholeNumber(given.label, given.value, min, max);
}

function bool(s: ConfigSources, name: string): boolean {
  const given = s.setting(name);
  return given === undefined ? false : yesNo(given.label, given.value);
}

function url(s: ConfigSources, name: string): string | undefined {
  const given = s.setting(name);
  if (given === undefined) return undefined;
  const { label } = given;
  let parsed: URL;
  try {
    parsed = new URL(given.value);
  } catch {
    throw new ConfigError(`${label} is not a URL; give a full base URL such as https://calling-euc1.api.sinch.com/calling/v1.`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
    throw new ConfigError(`${label} must use https (plain http is allowed only for 127.0.0.1/localhost).`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ConfigError(`${label} must not contain credentials, a query or a fragment.`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

function phoneLike(s: ConfigSources, name: string): string | undefined {
  const given = s.setting(name);
  if (given === undefined) return undefined;
  const compact = given.value.replace(/[\s().-]/g, '');
  if (!/^\+[1-9]\d{1,14}$/.test(compact)) {
    throw new ConfigError(`${given.label}=${JSON.stringify(given.value)} is not allowed; use an E.164 number such as +46701234567.`);
  }
  return compact;
}

function country(s: ConfigSources, name: string): string | undefined {
  const given = s.setting(name);
  if (given === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(given.value)) {
    throw new ConfigError(`${given.label}=${JSON.stringify(given.value)} is not allowed; use an ISO 3166-1 alpha-2 code such as SE or US.`);
  }
  return given.value.toUpperCase();
}
