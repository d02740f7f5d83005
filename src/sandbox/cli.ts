// `npm run sandbox`: the sandbox on its own, for curl, the official SDK or a server in live mode.
// This is a standalone program, not the MCP server, so printing its URLs on stdout is safe.
import { ConfigError, loadConfig } from '../config/config.js';
import { sandboxApp } from './app.js';
import { startSandbox } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const sandbox = await startSandbox({ app: config.credentials ?? sandboxApp(), port: config.sandboxPort });
  const lines = [
    'Sinch Calling API sandbox is listening (Ctrl-C to stop).',
    `  SINCH_CALLING_URL=${sandbox.callingUrl}`,
    `  SINCH_MANAGEMENT_URL=${sandbox.managementUrl}`,
    `  SINCH_APPLICATION_KEY=${sandbox.app.key}`,
    // Random for this run: pass it on to clients of this sandbox.
    config.credentials ? '  SINCH_APPLICATION_SECRET=(the one you set)' : `  SINCH_APPLICATION_SECRET=${sandbox.app.secret}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
