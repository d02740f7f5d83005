// Remembers which signed callbacks were already accepted, so a captured one cannot be played again
// while its x-timestamp is still fresh. Behind an interface: a shared store (e.g. Redis) can replace
// the in-memory one when several servers receive callbacks.
import type { StateLoss } from '../state/loss.js';
import type { SharedState } from '../state/shared.js';

export interface ReplayGuard {
  /**
   * True the first time a key is seen within ttlMs; false for a repeat. Records the key either way. `sentAt`
   * (the callback's x-timestamp) lets a guard refuse what it cannot have remembered.
   */
  firstSeen(key: string, ttlMs: number, sentAt?: number): Promise<boolean>;
}

/**
 * A guard whose store may start empty (a Redis that came back without its data, or a new one): a callback
 * signed before that moment may have been accepted already and is treated as a repeat. In memory the cache
 * lives with the process, as it always did. Chosen over
 * persisting the cache alone: it holds whether or not Redis persists, and costs only genuine callbacks signed
 * before a restart (Sinch's retries of them), for at most the 5-minute age window.
 */
export class RestartAwareGuard implements ReplayGuard {
  constructor(
    private readonly inner: ReplayGuard,
    private readonly loss: StateLoss,
  ) {}

  async firstSeen(key: string, ttlMs: number, sentAt = 0): Promise<boolean> {
    const first = await this.loss.around(() => this.inner.firstSeen(key, ttlMs, sentAt));
    const since = this.loss.notBefore;
    return first && (since === undefined || sentAt >= since);
  }
}

/** In memory and bounded: past maxEntries live keys, the oldest is forgotten first. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly expiries = new Map<string, number>();
  private insertsSinceSweep = 0;

  constructor(
    readonly maxEntries = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.delete(key);
    this.expiries.set(key, now + Math.max(0, ttlMs));
    this.insertsSinceSweep += 1;
    if (this.expiries.size > this.maxEntries || this.insertsSinceSweep >= 1_000) this.sweep(now);
    return true;
  }

  size(): number {
    return this.expiries.size;
  }

  private sweep(now: number): void {
    this.insertsSinceSweep = 0;
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
    // Only genuine signed callbacks get here, so this takes an implausible rate (maxEntries in one age window).
    for (const key of this.expiries.keys()) {
      if (this.expiries.size <= this.maxEntries) break;
      this.expiries.delete(key);
    }
  }
}

/** On the shared state (Redis): a callback replayed to another instance is refused there too. */
export class SharedReplayGuard implements ReplayGuard {
  constructor(private readonly state: SharedState) {}

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    // node:crypto is loaded only here, on Redis: start-up does not need it.
    const digest = process.getBuiltinModule('node:crypto').createHash('sha256').update(key).digest('base64url');
    return this.state.setIfAbsent(`replay:${digest}`, '1', Math.max(1, ttlMs));
  }
}
