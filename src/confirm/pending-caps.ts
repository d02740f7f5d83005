// How many actions may wait for a person at once, whichever route asks (approval page, URL elicitation, remote
// link, token): one count per caller and one per instance. Every pending approval or token holds a place from the
// moment it is made until it is decided, redeemed or past its deadline, so a flood of guarded calls is refused
// before anything is stored or sent.
//
// Why these numbers: a person reviews guarded actions one by one within SINCH_CONFIRM_TIMEOUT_MS; 20 waiting for
// one caller is already more than anyone reads before they expire, and 200 per instance serves ten callers at
// once. With each stored preview bounded (preview-bound.ts, 32 KiB) pending approvals hold at most ~6.4 MiB per
// instance. Places are counted in this process: with several instances on Redis a caller may hold 20 on each.
import { PENDING_CAP } from './texts.js';

export const PENDING_PER_CALLER = 20;
export const PENDING_PER_INSTANCE = 200;

/** Too many actions already wait for a person: refused before anything was stored or sent. */
export class PendingLimitError extends Error {}

/** The caller of a stdio session (no subject): the one local user, capped like any caller. */
const LOCAL = '\u0000local';

export class PendingCaps {
  private readonly held = new Map<string, { caller: string; until: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly perCaller = PENDING_PER_CALLER,
    private readonly perInstance = PENDING_PER_INSTANCE,
  ) {}

  /**
   * Takes a place for `id` until `until` (ms since the epoch) or release(id), or throws PendingLimitError.
   * Synchronous on purpose: check and count happen with no await between, so parallel calls cannot all pass.
   */
  hold(id: string, caller: string | undefined, until: number): void {
    this.sweep();
    const who = caller ?? LOCAL;
    if (this.held.size >= this.perInstance) throw new PendingLimitError(PENDING_CAP('instance', this.perInstance));
    let mine = 0;
    for (const place of this.held.values()) if (place.caller === who) mine += 1;
    if (mine >= this.perCaller) throw new PendingLimitError(PENDING_CAP('caller', this.perCaller));
    this.held.set(id, { caller: who, until });
  }

  release(id: string): void {
    this.held.delete(id);
  }

  /** Places held now (tests, and the memory bound's check). */
  get size(): number {
    this.sweep();
    return this.held.size;
  }

  /** A place whose deadline passed is free again, whether or not anyone said so (a link nobody redeemed). */
  private sweep(): void {
    const now = this.now();
    for (const [id, place] of this.held) if (place.until <= now) this.held.delete(id);
  }
}
