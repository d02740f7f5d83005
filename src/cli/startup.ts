// Start-up of the bin: arguments, configuration and the checks that must fail now rather than at the first
// tool call. A configuration problem prints one line on stderr and exits with code 2.
import { parseArgs } from './args.js';
import { type Config, ConfigError, type Env, readConfig } from '../config/config.js';
import { helpText } from './help.js';
import { missingInstallFiles } from './install-check.js';
import { logLine } from '../support/log.js';
import { supportsCountry } from '../sinch/phone.js';
import { VERSION } from '../support/version.js';

export interface StartUp {
  config: Config;
  warnings: string[];
  printConfig: boolean;
}

/** The configuration to serve with, or undefined when the command (--help, --version) is already answered. */
export async function startUp(argv: string[], env: Env): Promise<StartUp | undefined> {
  try {
    const cli = parseArgs(argv);
    // For a person at a terminal, and MCP is not started, so stdout is right.
    if (cli.command === 'help') return void process.stdout.write(helpText());
    if (cli.command === 'version') return void process.stdout.write(`${VERSION}\n`);
    const missing = missingInstallFiles();
    if (missing.length) throw new ConfigError(`sinch-calling-mcp is damaged: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; reinstall the package.`);
    const { config, warnings } = readConfig(env, cli.flags);
    // libphonenumber is loaded only when a default country is set, so cold start stays fast otherwise.
    if (config.defaultCountry && !(await supportsCountry(config.defaultCountry))) {
      throw new ConfigError(`SINCH_DEFAULT_COUNTRY=${JSON.stringify(config.defaultCountry)} is not a country the phone-number library knows; use an ISO 3166-1 alpha-2 code such as SE or US.`);
    }
    return { config, warnings, printConfig: cli.command === 'print-config' };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return configFailure(error.message);
  }
}

function configFailure(message: string): never {
  logLine(message);
  process.exit(2);
}
