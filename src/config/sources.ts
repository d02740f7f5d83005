// Where a setting comes from: the environment, or the command-line flag of the same name. Clients sometimes
// pass their own placeholders through unexpanded; those are never a value.
import { ConfigError } from './error.js';

export type Env = Record<string, string | undefined>;

/** One source that gave a restriction a value: its label names the variable or flag to fix. */
export interface Spoken {
  label: string;
  value: string;
}

// Whole-value placeholders: ${VAR}, ${VAR:-default}, ${env:X} (Cursor), ${input:x} (VS Code),
// ${user_config.x} (MCP bundles).
const PLACEHOLDER = /^\$\{[A-Za-z_][\w.-]*(?::[^{}]*)?\}$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

/** SINCH_READ_ONLY -> --read-only: a flag is always its variable's name in kebab case. */
export function flagFor(variable: string): string {
  return `--${variable.replace(/^SINCH_/, '').toLowerCase().replace(/_/g, '-')}`;
}

// A placeholder's default part (${X:-…}) could hold the secret itself, so its text is never repeated.
const SECRET_VARIABLES = new Set(['SINCH_APPLICATION_SECRET', 'SINCH_KEY_SECRET', 'SINCH_STATE_SECRET', 'SINCH_STATE_SECRET_PREVIOUS']);

export class ConfigSources {
  /** One line per variable or flag that held a placeholder (and any other start-up warning). */
  readonly warnings: string[] = [];
  private readonly warned = new Set<string>();

  constructor(
    private readonly env: Env,
    /** Flag values keyed by the variable they set. */
    private readonly flags: Env = {},
  ) {}

  /** An ordinary setting: the flag wins over the environment; empty or a placeholder counts as not set. */
  setting(name: string): Spoken | undefined {
    const flag = flagFor(name);
    const fromFlag = this.usable(this.flags[name], flag, name);
    if (fromFlag !== undefined) return { label: flag, value: fromFlag };
    const fromEnv = this.usable(this.env[name], name, name);
    return fromEnv === undefined ? undefined : { label: name, value: fromEnv };
  }

  value(name: string): string | undefined {
    return this.setting(name)?.value;
  }

  /** A credential: read from the environment only, whatever flags were given (argv is visible to every user). */
  fromEnvironment(name: string): string | undefined {
    return this.usable(this.env[name], name, name);
  }

  /**
   * A restriction: every source that gave it a value (environment first). Empty or a placeholder is an
   * error, never "no restriction"; `allowed` says what to write instead.
   */
  restriction(name: string, allowed: string): Spoken[] {
    const spoken: Spoken[] = [];
    for (const [label, raw] of [
      [name, this.env[name]],
      [flagFor(name), this.flags[name]],
    ] as const) {
      if (raw === undefined) continue;
      const value = raw.trim();
      if (!value) throw new ConfigError(`${label} is empty, which is not "no restriction"; ${allowed}.`);
      if (isPlaceholder(value)) {
        throw new ConfigError(`${label}=${value} is an unexpanded placeholder (the client did not substitute it); ${allowed}.`);
      }
      spoken.push({ label, value });
    }
    return spoken;
  }

  warn(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push(message);
  }

  private usable(raw: string | undefined, label: string, name: string): string | undefined {
    const value = raw?.trim();
    if (!value) return undefined;
    if (!isPlaceholder(value)) return value;
    const shown = SECRET_VARIABLES.has(name) ? '' : ` ${value}`;
    this.warn(label, `${label} holds the unexpanded placeholder${shown}; treated as not set (check the client's configuration).`);
    return undefined;
  }
}
