// What both benchmarks share: the figures' arithmetic, progress lines on stderr, and the loopback sandbox
// with one long call in its state, in live mode (the servers sign requests to it as they would to Sinch).
import { startSandbox } from '../src/sandbox/server.js';
import { liveEnv } from '../test/helpers/sandbox.js';

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
export const round = (x: number, digits = 2) => Number(x.toFixed(digits));
export const log = (line: string) => process.stderr.write(`${line}\n`);

/** The sandbox answering at once, a call that lasts an hour (for get_call_result), and the live-mode env. */
export async function benchSandbox(poolSize: number) {
  const sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 3_600_000 } });
  const callId = sandbox.state.createCall({ kind: 'tts', cli: '+14045005000', destination: { type: 'number', endpoint: '+46708168731' }, ratePerMinute: 0.01 }).callId;
  return { sandbox, callId, liveEnv: { ...liveEnv(sandbox), SINCH_MAX_CONNECTIONS: String(poolSize) } };
}
