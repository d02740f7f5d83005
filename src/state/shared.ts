// State that more than one server instance may share: the primitives every shared piece (pending approvals,
// single-use tokens, the callout budget, the replay cache, call events, call state) is built on.
// In memory by default; on Redis with SINCH_REDIS_URL (src/state/redis.ts).

export interface SharedState {
  /** Sets key to value for ttlMs unless it exists; true when it was set. Atomic across instances. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Returns the value and deletes the key, atomically (a single-use read). */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /**
   * A sliding window of events (e.g. callouts in the last minute): records one at `now` only when fewer than
   * `limit` are within `windowMs`, atomically across instances. `oldestAt` is the oldest event still counted.
   */
  windowTake(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; count: number; oldestAt?: number }>;
  /** How many events the window holds at `now` (nothing recorded). */
  windowCount(key: string, windowMs: number, now: number): Promise<{ count: number; oldestAt?: number }>;
  /** The next number of a counter that starts at 1 (atomic across instances, kept without expiry). */
  next(key: string): Promise<number>;
  /** Delivered to every subscriber on every instance, this one included. */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
