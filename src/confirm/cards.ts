// The approval card's side of confirmation (MCP Apps): the actions of one session that wait for a person's
// decision in a view in the chat. Each is bound to its session (every session has its own store), its caller,
// the tool call's JSON-RPC id and the exact request previewed; it is decided once, with a key that only the
// view fetches (through the app-only app_approval, which the model cannot call), and it expires like the other
// rungs. Two ways to end: a tool call still waiting receives the decision (the host showed the card while it
// ran), or the card performs the action itself (the host showed the card only once the call had returned).
import { safeEqual } from '../sinch/signing.js';
import { isRandomId, randomId } from './approvals.js';
import type { Preview } from './preview.js';

export type CardState = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

/** What the view is given: everything it shows, and the key its decision must carry. */
export interface CardView {
  id: string;
  key: string;
  /** The tool whose call it approves. */
  tool: string;
  preview: Preview;
  expiresAt: number;
  state: CardState;
}

/** How a decision ended: handed to the waiting call, or the action performed here (its answer returned). */
export type CardDecision =
  | { outcome: 'approved' | 'denied'; delivered: 'waiting_call' | 'none' }
  | { outcome: 'approved'; delivered: 'performed'; performed: unknown }
  | { outcome: 'expired' | 'decided' | 'refused'; delivered: 'none' };

/** The tool call behind a card, as the view can name it: its JSON-RPC id, its tool, its arguments. */
export interface CardLookup {
  requestId?: string | number;
  tool?: string;
  arguments?: Record<string, unknown>;
}

interface Card extends CardView {
  tool: string;
  requestId?: string | number;
  arguments: Record<string, unknown>;
  caller?: string;
  opened: boolean;
  /** Set while the tool call waits for the decision; after it has returned, the action is handed over instead. */
  waiter?: { onOpen(): void; onDecision(state: CardState): void };
  /** The action, once the call that made the card has returned without a decision. */
  handedOver: Promise<() => Promise<unknown>>;
  handOver(perform: () => Promise<unknown>): void;
  expiry: NodeJS.Timeout;
}

/** A decided card stays readable this long, so the view can still show how it ended. */
const KEEP_SETTLED_MS = 10 * 60_000;

/** A card waiting for a person, as the tool call that made it sees it. */
export interface PendingCard {
  id: string;
  expiresAt: number;
  /** True once a view has opened it, false when `withinMs` passed first (or the call was cancelled). */
  opened(withinMs: number, signal?: AbortSignal): Promise<boolean>;
  /** The person's decision (or expiry, or cancellation). */
  decision(signal?: AbortSignal): Promise<CardState>;
  /** The call returns now: once approved, the card performs the action with this. */
  handOver(perform: () => Promise<unknown>): void;
}

/** Too many actions already wait in this session's cards. */
export class CardLimitError extends Error {}

export class CardApprovals {
  private readonly cards = new Map<string, Card>();
  /** Cards kept at most (pending or settled): a settled one is kept for its view, but never without bound. */
  private readonly maxKept = 50;

  constructor(
    /** How long a person has to decide (SINCH_CONFIRM_TIMEOUT_MS). */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxPending = 10,
  ) {}

  /** Cards held now, pending and settled. */
  get size(): number {
    return this.cards.size;
  }

  create(input: { preview: Preview; tool: string; requestId?: string | number; arguments: Record<string, unknown>; caller?: string }): PendingCard {
    const waiting = [...this.cards.values()].filter((card) => card.state === 'pending').length;
    if (waiting >= this.maxPending) throw new CardLimitError(`${waiting} actions already wait for a decision in this chat; decide or let them expire first.`);
    this.forgetOldestSettled();
    const id = randomId();
    let handOver!: (perform: () => Promise<unknown>) => void;
    const handedOver = new Promise<() => Promise<unknown>>((resolve) => (handOver = resolve));
    const card: Card = {
      ...input,
      id,
      key: randomId(),
      expiresAt: this.now() + this.ttlMs,
      state: 'pending',
      opened: false,
      handedOver,
      handOver,
      expiry: setTimeout(() => this.settle(card, 'expired'), this.ttlMs).unref(),
    };
    this.cards.set(id, card);
    return {
      id,
      expiresAt: card.expiresAt,
      opened: (withinMs, signal) => this.untilOpened(card, withinMs, signal),
      decision: (signal) => this.untilDecided(card, signal),
      handOver: (perform) => {
        card.waiter = undefined;
        card.handOver(perform);
      },
    };
  }

  /**
   * The view opens its card: by the tool call's request id (a view that names one gets that card or, while its
   * call has not reached the server yet, none); else by tool and exactly the same arguments (as parsed); else,
   * only for a view that could name neither, the oldest card nobody opened (it shows in full what it approves).
   */
  open(lookup: CardLookup, caller?: string): CardView | undefined {
    const mine = [...this.cards.values()].filter((card) => card.caller === caller);
    const card =
      lookup.requestId !== undefined
        ? mine.find((c) => c.requestId !== undefined && String(c.requestId) === String(lookup.requestId))
        : lookup.tool !== undefined
          ? mine.find((c) => !c.opened && c.tool === lookup.tool && lookup.arguments !== undefined && sameArguments(c.arguments, lookup.arguments))
          : mine.find((c) => !c.opened && c.state === 'pending');
    if (!card) return undefined;
    card.opened = true;
    card.waiter?.onOpen();
    return { id: card.id, key: card.key, tool: card.tool, preview: card.preview, expiresAt: card.expiresAt, state: card.state };
  }

  /** The person's click: applied only with the card's key, by its own caller, once, while it is pending. */
  async decide(id: string, key: string, decision: 'approve' | 'deny', caller?: string): Promise<CardDecision> {
    const card = isRandomId(id) ? this.cards.get(id) : undefined;
    if (!card || card.caller !== caller || !safeEqual(key, card.key)) return { outcome: 'refused', delivered: 'none' };
    if (card.state === 'expired') return { outcome: 'expired', delivered: 'none' };
    if (card.state !== 'pending') return { outcome: 'decided', delivered: 'none' };
    const outcome = decision === 'approve' ? 'approved' : 'denied';
    const waiter = card.waiter;
    this.settle(card, outcome);
    if (waiter) return { outcome, delivered: 'waiting_call' };
    if (outcome === 'denied') return { outcome, delivered: 'none' };
    // The call has returned (or is about to hand the action over): the card performs it.
    const perform = await card.handedOver;
    return { outcome: 'approved', delivered: 'performed', performed: await perform() };
  }

  /** The session ends: every card still pending is cancelled, and none is kept. */
  close(): void {
    for (const card of this.cards.values()) this.settle(card, 'cancelled');
    this.cards.clear();
  }

  private forgetOldestSettled(): void {
    for (const [id, card] of this.cards) {
      if (this.cards.size < this.maxKept) return;
      if (card.state !== 'pending') this.cards.delete(id);
    }
  }

  private untilOpened(card: Card, withinMs: number, signal?: AbortSignal): Promise<boolean> {
    if (card.opened) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (opened: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        card.waiter = opened ? card.waiter : undefined;
        resolve(opened);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), withinMs);
      card.waiter = { onOpen: () => done(true), onDecision: () => done(card.opened) };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private untilDecided(card: Card, signal?: AbortSignal): Promise<CardState> {
    if (card.state !== 'pending') return Promise.resolve(card.state);
    return new Promise((resolve) => {
      // A cancelled tool call withdraws its card: nothing can approve it any more.
      const onAbort = () => this.settle(card, 'cancelled');
      card.waiter = {
        onOpen: () => undefined,
        onDecision: (state) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(state);
        },
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private settle(card: Card, state: Exclude<CardState, 'pending'>): void {
    if (card.state !== 'pending') return;
    card.state = state;
    clearTimeout(card.expiry);
    const waiter = card.waiter;
    card.waiter = undefined;
    waiter?.onDecision(state);
    setTimeout(() => this.cards.delete(card.id), KEEP_SETTLED_MS).unref();
  }
}

/** The same arguments, both parsed by the tool's schema: equal key for key, in any order. */
function sameArguments(ours: Record<string, unknown>, theirs: Record<string, unknown>): boolean {
  return canonical(ours) === canonical(theirs);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}
