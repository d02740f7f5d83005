// Actions waiting for a person's decision on the approval page. Each has an unguessable id (its URL) and a
// separate per-page token the form posts back; it is decided at most once, and expires on its own.
import { randomBytes } from 'node:crypto';
import { safeEqual } from '../sinch/signing.js';
import type { Toolset } from '../restrictions.js';
import type { ToolKind } from '../tools/define.js';
import type { Preview } from './preview.js';

export type Settled = 'approved' | 'denied' | 'expired' | 'cancelled';
export type DecideResult = Settled | 'decided' | 'forbidden' | 'unknown';

/** Who asked, and what kind of action it is (remote mode: the approver needs a scope that allows it). */
export interface ApprovalContext {
  requestedBy?: string;
  tool?: { kind: ToolKind; toolset: Toolset };
}

export interface Approval {
  id: string;
  pageToken: string;
  preview: Preview;
  context: ApprovalContext;
  expiresAt: number;
  state: 'pending' | Settled;
  /** The subject that decided on the page (remote mode). */
  decidedBy?: string;
  /** Resolves once, with how the approval ended. */
  settled: Promise<Settled>;
}

interface Entry extends Approval {
  settle(outcome: Settled): void;
}

/** Settled approvals stay readable this long, so a late click shows "already decided" rather than "not found". */
const KEEP_SETTLED_MS = 10 * 60_000;

export class ApprovalLimitError extends Error {}

export class Approvals {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxPending = 100,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new pending approval, valid for ttlMs. */
  create(preview: Preview, ttlMs: number, context: ApprovalContext = {}): Approval {
    const pending = [...this.entries.values()].filter((entry) => entry.state === 'pending').length;
    if (pending >= this.maxPending) throw new ApprovalLimitError(`${pending} actions are already waiting for approval; decide or let them expire first.`);
    let settle!: (outcome: Settled) => void;
    const settled = new Promise<Settled>((resolve) => (settle = resolve));
    const entry: Entry = {
      id: randomBytes(32).toString('base64url'),
      pageToken: randomBytes(32).toString('base64url'),
      preview,
      context,
      expiresAt: this.now() + ttlMs,
      state: 'pending',
      settled,
      settle: (outcome) => {
        if (entry.state !== 'pending') return;
        entry.state = outcome;
        clearTimeout(expiry);
        settle(outcome);
        setTimeout(() => this.entries.delete(entry.id), KEEP_SETTLED_MS).unref();
      },
    };
    const expiry = setTimeout(() => entry.settle('expired'), ttlMs);
    expiry.unref();
    this.entries.set(entry.id, entry);
    return entry;
  }

  get(id: string): Approval | undefined {
    const entry = this.entries.get(id);
    if (entry?.state === 'pending' && this.now() >= entry.expiresAt) entry.settle('expired');
    return entry;
  }

  /** A person's decision from the page: applied only with the page's token, only while pending. */
  decide(id: string, decision: 'approve' | 'deny', pageToken: string, by?: string): DecideResult {
    const entry = this.entries.get(id);
    if (!entry) return 'unknown';
    if (!safeEqual(pageToken, entry.pageToken)) return 'forbidden';
    this.get(id); // expires it when its time has passed
    if (entry.state !== 'pending') return entry.state === 'expired' || entry.state === 'cancelled' ? entry.state : 'decided';
    entry.decidedBy = by;
    entry.settle(decision === 'approve' ? 'approved' : 'denied');
    return entry.state as Settled;
  }

  /** The waiting tool call gave up (cancelled, client declined the link): the page can no longer approve it. */
  cancel(id: string): void {
    this.entries.get(id)?.settle('cancelled');
  }
}
