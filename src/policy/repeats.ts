// Never ring twice by accident. Every guarded write leaves a short-lived record in the shared state, written
// before it is sent and completed with its outcome; a new request matching one that may have happened is shown
// to the person with that fact (or, with nobody to ask, refused) instead of going out silently. Callouts match
// on the destination alone, whoever placed them: for 10 minutes while the earlier outcome is unknown or still
// pending (longer than a call rings and than an agent's timeout-and-retry; short enough that a planned call later
// is not flagged), for 2 minutes once Sinch accepted it (a retry racing a slow answer; calling someone back
// after their call ended is deliberate). Other guarded writes match on the exact request and caller for 2
// minutes. In the shared state, so other instances, and with Redis a restarted one, see them too.
import type { SinchRequest } from '../sinch/client.js';
import { fingerprint } from '../sinch/fingerprint.js';
import type { SharedState } from '../state/shared.js';

export const CALLOUT_WINDOW_MS = 10 * 60_000;
export const WRITE_WINDOW_MS = 2 * 60_000;
/** How long an accepted write still counts as a possible repeat. */
export const ACCEPTED_WINDOW_MS = 2 * 60_000;

export type WriteOutcome = 'pending' | 'ok' | 'unknown' | 'error';

/** One guarded write, as recognised again: its tool and request, the callout's destination, who asked. */
export interface GuardedWrite {
  tool: string;
  request: SinchRequest;
  /** A callout's destination (E.164, username or SIP address): callouts match on it alone. */
  destination?: string;
  caller?: string;
}

interface WriteRecord {
  tool: string;
  at: number;
  outcome: WriteOutcome;
  callId?: string;
}

export class RecentWrites {
  constructor(
    private readonly state: SharedState,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fact a person must see before this write goes out again, when a matching recent one may have happened. */
  async previous(write: GuardedWrite): Promise<string | undefined> {
    const stored = await this.state.get(keyOf(write));
    if (!stored) return undefined;
    const record = JSON.parse(stored) as WriteRecord;
    // The key's expiry only tidies up; this clock decides (the same one as the rest of the policy).
    if (record.outcome === 'error' || this.now() - record.at >= windowOf(write, record.outcome)) return undefined;
    return describe(record, write);
  }

  /** A callout learnt of otherwise (after a crash): flagged for what is left of its window. */
  async remember(write: KnownWrite): Promise<void> {
    const subject = { tool: write.tool, destination: write.destination, request: { method: 'POST', base: 'calling', path: '' } as SinchRequest };
    const left = write.at + windowOf(subject, write.outcome) - this.now();
    if (left > 0) await this.state.set(keyOf(subject), JSON.stringify({ tool: write.tool, at: write.at, outcome: write.outcome } satisfies WriteRecord), left);
  }

  /** Records the write as pending (before it is sent); the returned function records its outcome. */
  async begin(write: GuardedWrite): Promise<(outcome: WriteOutcome, callId?: string) => Promise<void>> {
    const key = keyOf(write);
    const record: WriteRecord = { tool: write.tool, at: this.now(), outcome: 'pending' };
    await this.state.set(key, JSON.stringify(record), windowOf(write, 'pending'));
    return async (outcome, callId) => {
      const left = record.at + windowOf(write, outcome) - this.now();
      if (left > 0) await this.state.set(key, JSON.stringify({ ...record, outcome, ...(callId ? { callId } : {}) }), left);
      else await this.state.delete(key);
    };
  }
}

/** A write known from elsewhere (an audit intent without an outcome, found at start). */
export interface KnownWrite {
  tool: string;
  destination: string;
  at: number;
  outcome: WriteOutcome;
}

function windowOf(write: GuardedWrite, outcome: WriteOutcome): number {
  const window = write.destination ? CALLOUT_WINDOW_MS : WRITE_WINDOW_MS;
  return outcome === 'ok' ? Math.min(window, ACCEPTED_WINDOW_MS) : window;
}

function keyOf(write: GuardedWrite): string {
  return write.destination ? `recent:callout:${write.destination}` : `recent:write:${fingerprint(write.request)}:${write.caller ?? ''}`;
}

/** "+46708168731 was already called at 14:03 UTC by tts_callout; its outcome is unknown (it may have happened)." */
function describe(record: WriteRecord, write: GuardedWrite): string {
  const at = `${new Date(record.at).toISOString().slice(11, 16)} UTC`;
  const what = write.destination ? `${write.destination} was already called at ${at} (${record.tool})` : `The same ${record.tool} was already sent at ${at}`;
  const outcome =
    record.outcome === 'ok'
      ? `Sinch accepted it${record.callId ? ` (callId ${record.callId}; get_call_result shows how it went)` : ''}`
      : record.outcome === 'pending'
        ? 'it may still be on its way'
        : 'its outcome is unknown: it may have happened';
  return `${what}; ${outcome}.`;
}
