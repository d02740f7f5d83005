// The sandbox for the remote-mode benchmark, in a process of its own: it stands in for Sinch, which runs
// elsewhere, so its work must not count as the load generator's. It still shares the machine's cores with the
// servers. Prints one JSON line on stdout (this is a benchmark helper, not the MCP server): the call to read and
// the live-mode environment that points a server at it.
import { benchSandbox } from './common.js';

const { sandbox, callId, liveEnv } = await benchSandbox(16); // the servers' default pool (SINCH_MAX_CONNECTIONS)
process.stdout.write(`${JSON.stringify({ callId, liveEnv })}\n`);
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
