// Environment (and a few non-secret CLI flags) -> typed configuration.
// Every error names the variable to fix and what is allowed; no secret is ever echoed.
import type { SvamlAnswer } from './events/svaml.js';
import { DEFAULT_MANAGEMENT_URL, REGIONS, type Region, callingUrlFor } from './sinch/hosts.js';

export const TOOLSETS = ['numbers', 'callbacks', 'lookup', 'calls', 'conferences', 'callouts'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export const CONFIRMATION_MODES = ['auto', 'form', 'page', 'token'] as const;
export type ConfirmationMode = (typeof CONFIRMATION_MODES)[number];

export type AuthScheme = 'signed' | 'basic';

export interface Credentials {
  key: string;
  secret: string;
}

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

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// Non-secret settings a client config may prefer to pass as args. Credentials are never read from argv.
const FLAG_TO_VARIABLE: Record<string, string> = {
  '--read-only': 'SINCH_READ_ONLY',
  '--toolsets': 'SINCH_TOOLSETS',
  '--allowed-destinations': 'SINCH_ALLOWED_DESTINATIONS',
  '--max-callouts-per-minute': 'SINCH_MAX_CALLOUTS_PER_MINUTE',
  '--region': 'SINCH_REGION',
  '--auth': 'SINCH_AUTH',
  '--timeout-ms': 'SINCH_TIMEOUT_MS',
  '--default-country': 'SINCH_DEFAULT_COUNTRY',
  '--audit-log': 'SINCH_AUDIT_LOG',
  '--dangerously-skip-confirmation': 'SINCH_DANGEROUSLY_SKIP_CONFIRMATION',
  '--confirmation-mode': 'SINCH_CONFIRMATION_MODE',
};

export interface CliOptions {
  printConfig: boolean;
  /** Environment overrides derived from flags. */
  overrides: Env;
}

export function parseArgs(argv: string[]): CliOptions {
  const overrides: Env = {};
  let printConfig = false;
  for (const arg of argv) {
    if (arg === '--print-config') {
      printConfig = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const variable = FLAG_TO_VARIABLE[flag];
    if (!variable) {
      if (/key|secret|token|password/i.test(flag)) {
        throw new ConfigError(`${flag}: credentials are read only from SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET, never from arguments.`);
      }
      throw new ConfigError(`${flag}: unknown argument. Allowed: --print-config, ${Object.keys(FLAG_TO_VARIABLE).join(', ')}.`);
    }
    overrides[variable] = eq < 0 ? 'true' : arg.slice(eq + 1);
  }
  return { printConfig, overrides };
}

export function loadConfig(env: Env): Config {
  const key = nonEmpty(env.SINCH_APPLICATION_KEY);
  const secret = nonEmpty(env.SINCH_APPLICATION_SECRET);
  if (key && !secret) throw new ConfigError('SINCH_APPLICATION_SECRET is missing: set both SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET, or neither for sandbox mode.');
  if (secret && !key) throw new ConfigError('SINCH_APPLICATION_KEY is missing: set both SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET, or neither for sandbox mode.');

  const auth = oneOf(env, 'SINCH_AUTH', ['signed', 'basic'] as const, 'signed');
  if (secret && auth === 'signed' && !isBase64(secret)) {
    throw new ConfigError('SINCH_APPLICATION_SECRET is not base64: signed requests need the secret exactly as the Sinch dashboard shows it (or set SINCH_AUTH=basic).');
  }
  const region = oneOf(env, 'SINCH_REGION', REGIONS, 'global');
  const mode = key ? 'live' : 'sandbox';
  const callingUrl = url(env, 'SINCH_CALLING_URL') ?? (mode === 'live' ? callingUrlFor(region) : undefined);
  const managementUrl = url(env, 'SINCH_MANAGEMENT_URL') ?? (mode === 'live' ? DEFAULT_MANAGEMENT_URL : undefined);

  return {
    mode,
    credentials: key && secret ? { key, secret } : undefined,
    auth,
    region,
    callingUrl,
    managementUrl,
    timeoutMs: integer(env, 'SINCH_TIMEOUT_MS', 10_000, 100, 120_000),
    maxConnections: integer(env, 'SINCH_MAX_CONNECTIONS', 16, 1, 256),
    cli: phoneLike(env, 'SINCH_CLI'),
    defaultCountry: country(env, 'SINCH_DEFAULT_COUNTRY'),
    readOnly: bool(env, 'SINCH_READ_ONLY'),
    toolsets: toolsets(env),
    allowedDestinations: destinations(env),
    maxCalloutsPerMinute: integer(env, 'SINCH_MAX_CALLOUTS_PER_MINUTE', 10, 1, 1000),
    skipConfirmation: bool(env, 'SINCH_DANGEROUSLY_SKIP_CONFIRMATION'),
    confirmationMode: oneOf(env, 'SINCH_CONFIRMATION_MODE', CONFIRMATION_MODES, 'auto'),
    confirmTimeoutMs: integer(env, 'SINCH_CONFIRM_TIMEOUT_MS', 300_000, 1_000, 3_600_000),
    approvalPort: integer(env, 'SINCH_APPROVAL_PORT', 0, 0, 65_535),
    stateFile: nonEmpty(env.SINCH_STATE_FILE),
    auditLog: nonEmpty(env.SINCH_AUDIT_LOG),
    sandboxPort: integer(env, 'SINCH_SANDBOX_PORT', 0, 0, 65_535),
    callbacks: callbacks(env),
  };
}

const ICE_ACTIONS = ['hangup', 'connectPstn', 'connectMxp', 'connectConf', 'connectSip', 'connectStream', 'runMenu', 'park'];

function callbacks(env: Env): CallbackConfig | undefined {
  if (nonEmpty(env.SINCH_CALLBACK_PORT) === undefined) return undefined;
  const port = integer(env, 'SINCH_CALLBACK_PORT', 0, 0, 65_535);
  const publicUrl = nonEmpty(env.SINCH_CALLBACK_PUBLIC_URL);
  if (!publicUrl) {
    throw new ConfigError('SINCH_CALLBACK_PUBLIC_URL is missing: with SINCH_CALLBACK_PORT set, give the https URL Sinch will call (e.g. your tunnel URL plus a path such as /sinch/events).');
  }
  url(env, 'SINCH_CALLBACK_PUBLIC_URL'); // validates scheme and parts
  // Kept exactly as given (trailing slash included): Sinch signs the path it calls.
  const parsed = new URL(publicUrl).toString();
  let iceAnswer: CallbackConfig['iceAnswer'];
  const ice = nonEmpty(env.SINCH_ICE_SVAML);
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
  const host = nonEmpty(env.SINCH_CALLBACK_HOST) ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new ConfigError(`SINCH_CALLBACK_HOST=${JSON.stringify(host)} is not a host name or address.`);
  return {
    host,
    port,
    publicUrl: parsed,
    publicPath: new URL(parsed).pathname,
    maxAgeMs: integer(env, 'SINCH_CALLBACK_MAX_AGE_S', 300, 1, 86_400) * 1000,
    eventsLog: nonEmpty(env.SINCH_EVENTS_LOG),
    iceAnswer,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  // Some clients pass an unset ${VAR} through literally; that is "not set", never a credential.
  if (!trimmed || /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/.test(trimmed)) return undefined;
  return trimmed;
}

function isBase64(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0;
}

function oneOf<const T extends readonly string[]>(env: Env, name: string, allowed: T, fallback: T[number]): T[number] {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not allowed; use one of: ${allowed.join(', ')}.`);
  }
  return value as T[number];
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not allowed; use a whole number from ${min} to ${max}.`);
  }
  return value;
}

function bool(env: Env, name: string): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return false;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} is not allowed; use true or false.`);
}

function url(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL; give a full base URL such as https://calling-euc1.api.sinch.com/calling/v1.`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
    throw new ConfigError(`${name} must use https (plain http is allowed only for 127.0.0.1/localhost).`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ConfigError(`${name} must not contain credentials, a query or a fragment.`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function phoneLike(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const compact = raw.replace(/[\s().-]/g, '');
  if (!/^\+[1-9]\d{1,14}$/.test(compact)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not allowed; use an E.164 number such as +46701234567.`);
  }
  return compact;
}

function country(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not allowed; use an ISO 3166-1 alpha-2 code such as SE or US.`);
  }
  return raw.toUpperCase();
}

function toolsets(env: Env): Toolset[] {
  const raw = nonEmpty(env.SINCH_TOOLSETS);
  if (raw === undefined || raw.toLowerCase() === 'all') return [...TOOLSETS];
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(TOOLSETS as readonly string[]).includes(name)) {
      throw new ConfigError(`SINCH_TOOLSETS: ${JSON.stringify(name)} is not a toolset; use a comma list of: ${TOOLSETS.join(', ')} (or all).`);
    }
  }
  return TOOLSETS.filter((t) => names.includes(t));
}

function destinations(env: Env): string[] {
  const raw = nonEmpty(env.SINCH_ALLOWED_DESTINATIONS);
  if (raw === undefined) return [];
  const prefixes = raw.split(',').map((s) => s.trim().replace(/[\s-]/g, '')).filter(Boolean);
  for (const prefix of prefixes) {
    if (!/^\+[0-9]{1,15}$/.test(prefix)) {
      throw new ConfigError(`SINCH_ALLOWED_DESTINATIONS: ${JSON.stringify(prefix)} is not an E.164 prefix; use a comma list such as +46,+1415555.`);
    }
  }
  return prefixes;
}
