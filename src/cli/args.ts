// Command-line arguments. Each flag sets the variable of the same name (--read-only -> SINCH_READ_ONLY);
// credentials are never read from arguments. A value flag takes `--flag=value` or `--flag value`; a switch
// (--read-only, --dangerously-skip-confirmation) is true when given alone and takes a value only after `=`.
import { ConfigError } from '../config/error.js';
import { type Env, flagFor } from '../config/sources.js';

export const SWITCH_VARIABLES = ['SINCH_READ_ONLY', 'SINCH_DANGEROUSLY_SKIP_CONFIRMATION', 'SINCH_HTTP'] as const;
export const VALUE_VARIABLES = [
  'SINCH_TOOLSETS',
  'SINCH_ALLOWED_DESTINATIONS',
  'SINCH_MAX_CALLOUTS_PER_MINUTE',
  'SINCH_REGION',
  'SINCH_AUTH',
  'SINCH_TIMEOUT_MS',
  'SINCH_DEFAULT_COUNTRY',
  'SINCH_AUDIT_LOG',
  'SINCH_CONFIRMATION_MODE',
  'SINCH_HTTP_PORT',
  'SINCH_HTTP_HOST',
] as const;

export type Command = 'serve' | 'print-config' | 'help' | 'version';

export interface CliOptions {
  command: Command;
  /** Flag values keyed by the variable they set. */
  flags: Env;
}

const SWITCHES = new Map<string, string>(SWITCH_VARIABLES.map((v) => [flagFor(v), v]));
const VALUES = new Map<string, string>(VALUE_VARIABLES.map((v) => [flagFor(v), v]));

export function parseArgs(argv: string[]): CliOptions {
  // Help and version answer whatever else is on the line, so a person can always ask.
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help', flags: {} };
  if (argv.includes('--version')) return { command: 'version', flags: {} };
  let command: Command = 'serve';
  const flags: Env = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--print-config') {
      command = 'print-config';
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const variable = SWITCHES.get(flag) ?? VALUES.get(flag);
    if (!variable) throw unknown(arg, flag, argv[i - 1]);
    if (variable in flags) throw new ConfigError(`${flag} is given twice; give it once.`);
    if (eq >= 0) flags[variable] = arg.slice(eq + 1);
    else if (SWITCHES.has(flag)) flags[variable] = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`${flag} needs a value: ${flag}=VALUE or ${flag} VALUE.`);
      flags[variable] = next;
      i++;
    }
  }
  return { command, flags };
}

function unknown(arg: string, flag: string, previous: string | undefined): ConfigError {
  if (/key|secret|token|password/i.test(flag)) {
    return new ConfigError(`${flag}: credentials and secrets are read only from the environment (SINCH_APPLICATION_KEY, SINCH_APPLICATION_SECRET, SINCH_STATE_SECRET), never from arguments.`);
  }
  if (!arg.startsWith('-')) {
    const hint = previous && SWITCHES.has(previous) ? ` ${previous} is a switch: write ${previous}=${arg}.` : ' Values follow a flag (--toolsets calls or --toolsets=calls).';
    return new ConfigError(`${JSON.stringify(arg)}: unexpected argument.${hint}`);
  }
  return new ConfigError(`${flag}: unknown argument. Allowed: --help, --version, --print-config, ${[...SWITCHES.keys(), ...VALUES.keys()].join(', ')} (see --help).`);
}
