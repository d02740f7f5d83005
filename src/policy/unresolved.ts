// At start: the writes an earlier run left without an outcome (the audit file's intent lines with no outcome
// line). Each is reported to the operator once, closed in the audit with outcome "unknown" (so the next start
// does not report it again), and a callout among them keeps its number flagged as a possible repeat.
import type { Audit } from '../support/audit.js';
import { type UnresolvedWrite, unresolvedWrites } from '../support/audit-scan.js';
import { logLine } from '../support/log.js';
import type { RecentWrites } from './repeats.js';

export async function takeUnresolvedWrites(auditLog: string | undefined, audit: Audit, repeats: RecentWrites): Promise<UnresolvedWrite[]> {
  if (!auditLog) return [];
  const found = unresolvedWrites(auditLog);
  for (const write of found) {
    logLine(`a write from before this start has no outcome: ${describeUnresolved(write)}; it may have reached Sinch.`);
    const { ts: _ts, ...intent } = write;
    audit({ ...intent, phase: 'outcome', outcome: 'unknown', note: 'found without an outcome at start (the process ended while it was being sent)' });
    if (write.destination) await repeats.remember({ tool: write.tool, destination: write.destination, at: Date.parse(write.ts), outcome: 'unknown' });
  }
  return found;
}

/** "tts_callout POST /callouts to +46708168731 at 2026-12-04T14:03:00.000Z" */
export function describeUnresolved(write: UnresolvedWrite): string {
  return `${write.tool} ${write.request.method} ${write.request.path}${write.destination ? ` to ${write.destination}` : ''} at ${write.ts}`;
}
