// Actions waiting for a person's decision on the approval page. Each has an unguessable id (its URL) and a
// separate per-page token the form posts back; it is decided at most once, and expires on its own.
// Kept in the shared state, so a decision made on one instance's page releases the call waiting on another.
// The page token is derived from the id with the deployment's key (any instance can render it) and stored only
// as its hash: someone reading Redis learns no token to post.
import type { ToolKind, Toolset } from '../kinds/tools.js';
import { safeEqual } from '../sinch/signing.js';
import { Keyring, tokenHash } from '../state/mac.js';
import type { SharedState } from '../state/shared.js';
import { PendingCaps } from './pending-caps.js';
import type { Preview } from './preview.js';
import { boundPreview } from './preview-bound.js';

export type Settled = 'approved' | 'denied' | 'expired' | 'cancelled';
/** `unclaimed`: approved and recorded, but the call waiting for it did not take it up in time, so it never will. */
export type DecideResult = Settled | 'decided' | 'forbidden' | 'unknown' | 'unclaimed';

/** Who asked, and what kind of action it is (remote mode: the approver needs a scope that allows it). */
export interface ApprovalContext {
  requestedBy?: string;
  /** Remote mode: the hash of the token that asked, which the page never accepts as this action's approver. */
  requestedWith?: string;
  tool?: { kind: ToolKind; toolset: Toolset };
  /** Remote link flow: the exact call (tool, request, caller) this approval may release, once. */
  binding?: string;
}

export interface Approval {
  id: string;
  /** What the page's form posts back; derived when read, never stored. */
  pageToken: string;
  preview: Preview;
  context: ApprovalContext;
  expiresAt: number;
  state: 'pending' | Settled;
  /** The subject that decided on the page (remote mode). */
  decidedBy?: string;
  /** A tool call waits on it (create()); the link flow's approvals are redeemed by a later call instead. */
  waited?: boolean;
}

/** What the shared state holds: the page token's hash in its place. */
type Stored = Omit<Approval, 'pageToken'> & { pageTokenHash: string };

/** The approval as created: its waiter learns, once, how it ended (and who decided). */
export interface PendingApproval extends Approval {
  settled: Promise<Decision>;
}

export interface Decision {
  state: Settled;
  by?: string;
  /**
   * Why a waiter ended as cancelled without anyone cancelling: its approval vanished from the shared state
   * (`lost`), the page gave up waiting for it to take the approval (`withdrawn`), or the shared state stayed
   * unreachable past the outage budget (`unreachable`).
   */
  reason?: 'lost' | 'withdrawn' | 'unreachable';
}

/** Where approval pages are served, on either kind of server; the approval's id follows. */
export const APPROVAL_PATH = '/approve/';

/** Settled approvals stay readable this long, so a late click shows "already decided" rather than "not found". */
const KEEP_SETTLED_MS = 10 * 60_000;
const record = (id: string) => `approval:${id}`;
const decision = (id: string) => `approval-decision:${id}`;
const channel = (id: string) => `approval:${id}`;
/** Who took an approved approval: its waiter (CLAIMED) or the page that stopped waiting for it (WITHDRAWN); first wins. */
const claim = (id: string) => `approval-claim:${id}`;
const CLAIMED = 'claimed';
const WITHDRAWN = 'withdrawn';
const PAGE_TOKEN = 'page-token';

/** 256 random bits, URL-safe. (Web Crypto: start-up does not load node:crypto for this.) */
export function randomId(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/** The shape of randomId(): anything else is not worth a lookup. */
export function isRandomId(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export interface ApprovalOptions {
  /** How many actions may wait for a person, per caller and per instance (shared with the token route). */
  caps?: PendingCaps;
  now?: () => number;
  /** How often a waiter reads the stored decision, in case a pub/sub wake-up was lost (default 2 s). */
  pollMs?: number;
  /** Derives page tokens; the same keys on every instance sharing the state (default: this process's own). */
  keys?: Keyring;
  /**
   * How long a waiter keeps reading through a shared-state outage before its call gives up (default 20 s): past a
   * 3 s restart with reconnection backoff (at most 2 s) and an 8 s stall with the 5 s command timeout, yet short
   * beside the person's own deadline, so a Redis that is really gone is reported rather than waited on.
   */
  outageBudgetMs?: number;
  /** When the shared state was seen to come back without its data, if it was (state/loss.ts). */
  lostAt?: () => number | undefined;
  /** How long the page waits for the waiting call to take an approval before withdrawing it (default 2 polls + 1 s). */
  claimWaitMs?: number;
}

export class Approvals {
  private readonly caps: PendingCaps;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly keys: Keyring;
  readonly outageBudgetMs: number;
  private readonly claimWaitMs: number;
  private readonly lostAtOf: () => number | undefined;
  /** Wakes each waiting call; set once close() has ended them. */
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly state: SharedState,
    options: ApprovalOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.caps = options.caps ?? new PendingCaps(this.now);
    this.pollMs = options.pollMs ?? 2_000;
    this.keys = options.keys ?? Keyring.random();
    this.outageBudgetMs = options.outageBudgetMs ?? 20_000;
    this.claimWaitMs = options.claimWaitMs ?? this.pollMs * 2 + 1_000;
    this.lostAtOf = options.lostAt ?? (() => undefined);
  }

  /** When the shared state lost its data while this instance ran (for the message that says so). */
  get lostAt(): number | undefined {
    return this.lostAtOf();
  }

  /** A new pending approval, valid for ttlMs; `settled` resolves when it is decided, cancelled or expired. */
  async create(preview: Preview, ttlMs: number, context: ApprovalContext = {}): Promise<PendingApproval> {
    const approval = await this.store(preview, ttlMs, context, true);
    const settled = this.waitFor(approval.id, ttlMs).finally(() => this.caps.release(approval.id));
    // Its waiter may be gone (e.g. the page could not be opened): a failure to read the decision must not go unhandled.
    settled.catch(() => undefined);
    return { ...approval, settled };
  }

  /** The server is shutting down: every call still waiting ends now, as cancelled, before the shared state closes. */
  close(): void {
    this.closed = true;
    for (const wake of this.waiters) wake();
  }

  /**
   * A new pending approval nobody waits on here (remote link flow: the call is made again once approved). It
   * holds a place under the caps first (PendingLimitError: nothing stored), and its preview is stored bounded.
   */
  async store(preview: Preview, ttlMs: number, context: ApprovalContext = {}, waited = false): Promise<Approval> {
    const id = randomId();
    const approval: Approval = {
      id,
      pageToken: this.keys.derive(PAGE_TOKEN, id),
      preview: boundPreview(preview),
      context,
      expiresAt: this.now() + ttlMs,
      state: 'pending',
      ...(waited ? { waited } : {}),
    };
    const { pageToken, ...kept } = approval;
    const stored: Stored = { ...kept, pageTokenHash: tokenHash(pageToken) };
    this.caps.hold(id, context.requestedBy, approval.expiresAt);
    try {
      await this.state.set(record(id), JSON.stringify(stored), ttlMs + KEEP_SETTLED_MS);
    } catch (error) {
      this.caps.release(id);
      throw error;
    }
    return approval;
  }

  async get(id: string): Promise<Approval | undefined> {
    return (await this.load(id))?.approval;
  }

  /** A person's decision from the page: applied only with the page's token, only while pending. */
  async decide(id: string, choice: 'approve' | 'deny', pageToken: string, by?: string): Promise<DecideResult> {
    const loaded = await this.load(id);
    if (!loaded) return 'unknown';
    const { approval, pageTokenHash } = loaded;
    // Hash against the stored hash, in constant time.
    if (!safeEqual(tokenHash(pageToken), pageTokenHash)) return 'forbidden';
    if (approval.state !== 'pending') return approval.state === 'expired' || approval.state === 'cancelled' ? approval.state : 'decided';
    const wanted: Decision = { state: choice === 'approve' ? 'approved' : 'denied', by };
    const applied = await this.settle(id, wanted);
    // Another instance may have decided in the same moment: only the first decision counts.
    if (applied !== wanted) return 'decided';
    // "Approved" only once the waiting call has taken it: recorded is not enough when that call is gone.
    if (wanted.state === 'approved' && approval.waited) return (await this.claimedBy(id)) ? 'approved' : 'unclaimed';
    return wanted.state;
  }

  /** Waits for the waiter to claim an approval; past claimWaitMs, withdraws it unless the waiter claimed it first. */
  private async claimedBy(id: string): Promise<boolean> {
    const deadline = Date.now() + this.claimWaitMs;
    while (Date.now() < deadline) {
      if ((await this.state.get(claim(id))) === CLAIMED) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (await this.state.setIfAbsent(claim(id), WITHDRAWN, KEEP_SETTLED_MS * 2)) ? false : (await this.state.get(claim(id))) === CLAIMED;
  }

  /** The waiter takes an approval; false when the page withdrew it first (the person was told it did not run). */
  private async claim(id: string): Promise<boolean> {
    if (await this.state.setIfAbsent(claim(id), CLAIMED, KEEP_SETTLED_MS * 2)) return true;
    // Taken already: by this waiter's own earlier attempt whose reply was lost, or withdrawn by the page.
    return (await this.state.get(claim(id))) === CLAIMED;
  }

  /** The approval as it stands (decided, expired), with the stored hash of its page token. */
  private async load(id: string): Promise<{ approval: Approval; pageTokenHash: string } | undefined> {
    const stored = await this.state.get(record(id));
    if (!stored) return undefined;
    const { pageTokenHash, ...kept } = JSON.parse(stored) as Stored;
    // During a rotation the record may come from an instance still on the previous secret.
    const tokens = this.keys.deriveAll(PAGE_TOKEN, id);
    const approval: Approval = { ...kept, pageToken: tokens.find((token) => safeEqual(tokenHash(token), pageTokenHash)) ?? tokens[0]! };
    const decided = await this.decisionOf(id);
    // An approval its waiter never took (the page withdrew it) did nothing: it reads as cancelled.
    const withdrawn = decided?.state === 'approved' && approval.waited && (await this.state.get(claim(id))) === WITHDRAWN;
    if (decided) return { pageTokenHash, approval: { ...approval, state: withdrawn ? 'cancelled' : decided.state, decidedBy: decided.by } };
    if (this.now() >= approval.expiresAt) return { pageTokenHash, approval: { ...approval, state: (await this.settle(id, { state: 'expired' })).state } };
    return { pageTokenHash, approval };
  }

  /**
   * Spends an approved approval (remote link flow): 'ok' only the first time, on any instance, and only before
   * the deadline its page showed (a settled record is kept longer, for the page's "already decided").
   */
  async redeem(approval: Approval): Promise<'ok' | 'used' | 'late'> {
    if (this.now() >= approval.expiresAt) return 'late';
    return (await this.state.setIfAbsent(`approval-used:${approval.id}`, '1', KEEP_SETTLED_MS * 2)) ? 'ok' : 'used';
  }

  /** The waiting tool call gave up (cancelled, client declined the link): the page can no longer approve it. */
  async cancel(id: string): Promise<void> {
    await this.settle(id, { state: 'cancelled' });
  }

  /**
   * Records a decision unless one exists (atomic across instances); returns the one that holds. A slot taken by a
   * value nobody can read (forged in Redis) holds too: this approval can no longer be decided, and is cancelled.
   */
  private async settle(id: string, wanted: Decision): Promise<Decision> {
    // Decided, cancelled or expired: it no longer waits for a person, so its place is free.
    this.caps.release(id);
    if (await this.state.setIfAbsent(decision(id), JSON.stringify(wanted), KEEP_SETTLED_MS * 2)) {
      await this.state.publish(channel(id), wanted.state);
      return wanted;
    }
    return (await this.decisionOf(id)) ?? { state: 'cancelled' };
  }

  /** One read of where an approval stands for its waiter; undefined while it still waits. Throws when the state is unreachable. */
  private async look(id: string, expired: boolean): Promise<Decision | undefined> {
    const decided = await this.decisionOf(id);
    if (decided) return decided.state !== 'approved' || (await this.claim(id)) ? decided : { state: 'cancelled', reason: 'withdrawn' };
    // Past the deadline with no readable decision (one forged in Redis reads as none): it ends, releasing nothing.
    if (expired) return { state: 'expired' };
    // Gone while pending (kept past its deadline otherwise): the shared state lost it, e.g. Redis restarted empty.
    if ((await this.state.get(record(id))) === undefined) return { state: 'cancelled', reason: 'lost' };
    return undefined;
  }

  private async decisionOf(id: string): Promise<Decision | undefined> {
    const stored = await this.state.get(decision(id));
    return stored ? (JSON.parse(stored) as Decision) : undefined;
  }

  /**
   * Subscribes first, then reads, so a decision made in between is not missed. Pub/sub is at most once (a
   * wake-up can be lost while Redis reconnects), so the stored decision is also read every couple of seconds.
   */
  private async waitFor(id: string, ttlMs: number): Promise<Decision> {
    let wake = () => {};
    const wakeUp = () => wake();
    // A subscription that fails (Redis dropped the connection at that moment) leaves the reads below: slower
    // to wake, never wrong, and they are what notices an outage or a lost approval.
    const unsubscribe = await this.state.subscribe(channel(id), wakeUp).catch(() => async () => undefined);
    // Whether or not the expiry could be recorded, the loop reads again (and fails there if the state is gone).
    let expired = false;
    const expiry = setTimeout(() => {
      expired = true;
      void this.settle(id, { state: 'expired' }).finally(wakeUp).catch(() => undefined);
    }, ttlMs);
    expiry.unref();
    this.waiters.add(wakeUp);
    // Since when reads have failed (a Redis restart or stall): the call keeps waiting for outageBudgetMs.
    let failingSince: number | undefined;
    try {
      for (;;) {
        if (this.closed) return { state: 'cancelled' };
        try {
          const ended = await this.look(id, expired);
          if (ended) return ended;
          failingSince = undefined;
        } catch {
          failingSince ??= Date.now();
          if (expired) return { state: 'expired' };
          if (Date.now() - failingSince >= this.outageBudgetMs) return { state: 'cancelled', reason: 'unreachable' };
        }
        await new Promise<void>((resolve) => {
          const poll = setTimeout(resolve, this.pollMs);
          poll.unref();
          wake = () => {
            clearTimeout(poll);
            resolve();
          };
          // Closed while this waiter was reading: it ends now rather than at the next poll.
          if (this.closed) wake();
        });
      }
    } finally {
      this.waiters.delete(wakeUp);
      clearTimeout(expiry);
      await unsubscribe().catch(() => undefined);
    }
  }
}
