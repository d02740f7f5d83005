// SharedState for one process: the embedded default when SINCH_REDIS_URL is not set. It behaves as the Redis
// implementation does (same TTLs, window rules and asynchronous delivery), so code built on it is tested once.
import { logLine } from '../support/log.js';
import type { SharedState } from './shared.js';
import { SharedStateClosedError } from './errors.js';
import { checkWindow, ttlOf } from './limits.js';
import { notifyListeners } from './notify.js';

interface Entry {
  value: string;
  expiresAt: number;
}

interface Window {
  /** Event times (the callers' `now`), ascending. Never more than the largest limit asked for. */
  events: number[];
  /** Wall-clock expiry of the whole window, as PEXPIRE gives it on Redis. */
  expiresAt: number;
}

interface Subscription {
  listener: (message: string) => void;
}

export interface MemoryStateOptions {
  /** How often expired keys are swept out (they already read as absent before that). Default 30 s. */
  purgeIntervalMs?: number;
  /** Where a listener's exception is reported (it never stops the other listeners). Default: stderr (logLine). */
  log?: (line: string) => void;
}

export class MemoryState implements SharedState {
  private readonly entries = new Map<string, Entry>();
  // Kept apart from entries here; on Redis both share one keyspace, so callers give windows keys of their own.
  private readonly windows = new Map<string, Window>();
  private readonly channels = new Map<string, Set<Subscription>>();
  private readonly counters = new Map<string, number>();
  private readonly purgeTimer: NodeJS.Timeout;
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(options: MemoryStateOptions = {}) {
    this.log = options.log ?? logLine;
    // unref: the sweep must never keep the process alive on its own.
    this.purgeTimer = setInterval(() => this.purgeExpired(), options.purgeIntervalMs ?? 30_000).unref();
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.checkOpen();
    const ttl = ttlOf(ttlMs);
    if (this.live(key) !== undefined) return false;
    this.entries.set(key, { value, expiresAt: Date.now() + ttl });
    return true;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.checkOpen();
    this.entries.set(key, { value, expiresAt: Date.now() + ttlOf(ttlMs) });
  }

  async get(key: string): Promise<string | undefined> {
    this.checkOpen();
    return this.live(key)?.value;
  }

  async take(key: string): Promise<string | undefined> {
    this.checkOpen();
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value;
  }

  async delete(key: string): Promise<void> {
    this.checkOpen();
    this.entries.delete(key);
    this.windows.delete(key);
  }

  async windowTake(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; count: number; oldestAt?: number }> {
    this.checkOpen();
    checkWindow(limit, windowMs, now);
    const window = this.liveWindow(key) ?? { events: [], expiresAt: 0 };
    window.events = window.events.filter((at) => at > now - windowMs);
    const allowed = window.events.length < limit;
    if (allowed) {
      window.events.push(now);
      window.events.sort((a, b) => a - b);
    }
    window.expiresAt = Date.now() + Math.ceil(windowMs);
    this.windows.set(key, window);
    return { allowed, count: window.events.length, ...oldest(window.events) };
  }

  async windowCount(key: string, windowMs: number, now: number): Promise<{ count: number; oldestAt?: number }> {
    this.checkOpen();
    checkWindow(undefined, windowMs, now);
    const events = (this.liveWindow(key)?.events ?? []).filter((at) => at > now - windowMs);
    return { count: events.length, ...oldest(events) };
  }

  async next(key: string): Promise<number> {
    this.checkOpen();
    const value = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, value);
    return value;
  }

  async publish(channel: string, message: string): Promise<void> {
    this.checkOpen();
    const subscribers = [...(this.channels.get(channel) ?? [])];
    // Later, never inside publish(): as on Redis, a listener that publishes again cannot recurse, and the
    // publisher's own code after `await publish()` is not interleaved with the listeners.
    if (subscribers.length > 0) setImmediate(() => this.deliver(channel, subscribers, message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    this.checkOpen();
    const subscription: Subscription = { listener };
    let subscribers = this.channels.get(channel);
    if (!subscribers) this.channels.set(channel, (subscribers = new Set()));
    subscribers.add(subscription);
    return async () => {
      subscribers.delete(subscription);
      if (subscribers.size === 0 && this.channels.get(channel) === subscribers) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.purgeTimer);
    this.entries.clear();
    this.windows.clear();
    this.channels.clear();
  }

  /** Drops every expired key and window; reads already treat them as absent. */
  purgeExpired(now = Date.now()): void {
    for (const map of [this.entries, this.windows]) {
      for (const [key, { expiresAt }] of map) if (expiresAt <= now) map.delete(key);
    }
  }

  /** Keys and windows currently held, expired ones not yet swept included (for tests of the sweep). */
  get size(): number {
    return this.entries.size + this.windows.size;
  }

  private deliver(channel: string, subscribers: Subscription[], message: string): void {
    const current = this.channels.get(channel);
    // Unsubscribed between publish and delivery: nothing more reaches it, as after UNSUBSCRIBE.
    const still = subscribers.filter((subscription) => current?.has(subscription)).map(({ listener }) => listener);
    notifyListeners(still, channel, message, this.log);
  }

  private live(key: string): Entry | undefined {
    return unexpired(this.entries, key);
  }

  private liveWindow(key: string): Window | undefined {
    return unexpired(this.windows, key);
  }

  private checkOpen(): void {
    if (this.closed) throw new SharedStateClosedError();
  }
}

/** The value under key unless it has expired (then it is dropped): expired keys read as absent. */
function unexpired<T extends { expiresAt: number }>(map: Map<string, T>, key: string): T | undefined {
  const held = map.get(key);
  if (held && held.expiresAt <= Date.now()) {
    map.delete(key);
    return undefined;
  }
  return held;
}

function oldest(events: number[]): { oldestAt?: number } {
  return events.length > 0 ? { oldestAt: events[0] } : {};
}
