// Did the shared state forget? A Redis restarted without persistence (or whose volume was lost) comes back
// empty, and the pieces that count on memory (the callout cap, the replay cache, pending approvals) must not
// carry on as if nothing happened. A marker key is written once; every reconnection reads it again, and a
// marker that vanished (or was replaced by another instance that noticed first) means the data was lost.
//
// A restart always drops the connection, so checking on reconnection is enough; the check is begun before any
// command queued during the outage is written (RespClient calls onRestored first), so a store operation that ran
// on the new, empty Redis is always followed by a finished check (see `around`).
import { logLine } from '../support/log.js';
import type { SharedState } from './shared.js';

const MARKER = 'state-marker';
/** The marker lives far longer than anything it vouches for; it is written again whenever it is found missing. */
const MARKER_TTL_MS = 365 * 24 * 60 * 60_000;

export class StateLoss {
  /** The newest moment from which the store is known to hold everything written (its (re)start as seen here). */
  private since: number | undefined;
  private known: string | undefined;
  private check: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: SharedState,
    private readonly now: () => number = Date.now,
    private readonly log: (line: string) => void = logLine,
  ) {}

  /**
   * In memory: the store lives and dies with this process, and nothing is lost while it runs. A callback signed
   * before a restart of the process is still taken (an ACE in flight while the client restarted the server must
   * still join its callee to the room); what a restart of Redis forgets is what `start`/`verify` guard.
   */
  static inMemory(state: SharedState, now: () => number = Date.now): StateLoss {
    return new StateLoss(state, now);
  }

  /**
   * At start: a marker already there means the store kept its data; none means a new (or emptied) store, whose
   * replay cache holds nothing older than now. An instance cannot tell a first deployment from a loss before it
   * started, so only a loss seen while running closes the callout cap (`lostAt`).
   */
  async start(): Promise<void> {
    const mine = markerValue();
    if (await this.state.setIfAbsent(MARKER, mine, MARKER_TTL_MS)) {
      this.known = mine;
      this.since = this.now();
    } else {
      this.known = await this.state.get(MARKER);
    }
  }

  /** The connection is back: read the marker before anything else relies on the store. */
  restored(): void {
    this.check = this.check.then(() => this.verify()).catch(() => undefined);
  }

  /** The store holds nothing written before this moment (undefined: it holds everything this instance saw). */
  get notBefore(): number | undefined {
    return this.since;
  }

  /** When a loss was seen while running (not at start), or undefined. */
  lostAt: number | undefined;

  /**
   * Runs one store operation between finished checks, so the caller judges its answer by `notBefore`/`lostAt`
   * as they stand after a marker read that followed it on the same connection (e.g. the operation ran on a
   * Redis that had just restarted empty: the loss is known by the time this resolves).
   */
  async around<T>(operation: () => Promise<T>): Promise<T> {
    await this.check;
    const value = await operation();
    await this.check;
    return value;
  }

  private async verify(): Promise<void> {
    const stored = await this.state.get(MARKER);
    if (stored !== undefined && stored === this.known) return;
    // Gone, or rewritten by an instance that noticed first: either way, what was stored before is lost.
    const at = this.now();
    this.since = at;
    this.lostAt = at;
    const mine = markerValue();
    this.known = (await this.state.setIfAbsent(MARKER, mine, MARKER_TTL_MS)) ? mine : await this.state.get(MARKER);
    this.log(
      'shared state: Redis came back without its data (restarted without persistence, or its volume was lost). Pending approvals were lost ' +
        '(their calls end saying so), the replay cache restarts (callbacks signed before now are refused for its 5-minute window), and ' +
        'callouts are refused for one minute (the cap cannot know what was sent). Give Redis persistence: appendonly yes (see the README).',
    );
  }
}

function markerValue(): string {
  return globalThis.crypto.randomUUID();
}
