// SharedState whose values and messages are authenticated (compose wraps the Redis state in it). Redis is a trust
// boundary: whoever can write to it without SINCH_STATE_SECRET must not be able to approve, sign in, move a label
// or inject an event. A value or message whose MAC fails reads as absent / is dropped, and is reported once.
//
// What a MAC cannot cover, and what someone with write access to Redis (but not the secret) can still do:
// - delete or overwrite any key: pending approvals, decisions, sign-ins, call records and tokens vanish or read as
//   absent (a denial of service: calls wait until their deadline and send nothing; a person signs in again);
// - setIfAbsent keys that only mark presence (`replay:*`, `approval-used:*`): occupying one makes a genuine callback
//   look like a repeat (dropped) or an approval look spent; deleting `approval-used:*` lets the caller of a link
//   approval a person did approve redeem it again until the decision expires (10 minutes past its deadline);
// - windows (windowTake/windowCount: the callout rate cap): fill one (callouts refused) or empty it (the shared cap
//   is lifted; every callout still needs a person's approval);
// - counters (next: the shared event sequence): change one, and events get numbers out of order or twice;
// - with read access too, put back a value it saw under the same key before that value's own deadline (an
//   older record of the same call, a sign-in already signed out); messages are refused once seen or older than
//   a minute, so replaying one changes nothing.
import { logLine } from '../support/log.js';
import type { Keyring } from './mac.js';
import type { SharedState } from './shared.js';

/** A published message is accepted this long after it was sent (plus the keyring's allowance for clock skew). */
const MESSAGE_TTL_MS = 60_000;
/** How many names a refusal is reported for before the list starts again (one line per name, not per read). */
const REPORTED_MAX = 1_000;

export class SignedState implements SharedState {
  private readonly reported = new Set<string>();

  constructor(
    private readonly inner: SharedState,
    private readonly keys: Keyring,
    private readonly log: (line: string) => void = logLine,
    private readonly now: () => number = Date.now,
  ) {}

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.inner.setIfAbsent(key, this.sealKey(key, value, ttlMs), ttlMs);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.inner.set(key, this.sealKey(key, value, ttlMs), ttlMs);
  }

  async get(key: string): Promise<string | undefined> {
    return this.openKey(key, await this.inner.get(key));
  }

  async take(key: string): Promise<string | undefined> {
    return this.openKey(key, await this.inner.take(key));
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  // Windows and counters hold numbers Redis computes on (sorted sets, INCR): no MAC fits; see the list above.
  windowTake(key: string, limit: number, windowMs: number, now: number) {
    return this.inner.windowTake(key, limit, windowMs, now);
  }

  windowCount(key: string, windowMs: number, now: number) {
    return this.inner.windowCount(key, windowMs, now);
  }

  next(key: string): Promise<number> {
    return this.inner.next(key);
  }

  publish(channel: string, message: string): Promise<void> {
    // The random prefix makes every message unique, so a replayed copy can be told from a second genuine one.
    const nonce = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
    return this.inner.publish(channel, this.keys.seal(`channel:${channel}`, `${nonce}.${message}`, this.now() + MESSAGE_TTL_MS));
  }

  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>> {
    // Per listener: each hears a message once, however many listeners this instance has on the channel.
    const seen = new Map<string, number>();
    return this.inner.subscribe(channel, (sealed) => {
      const now = this.now();
      const opened = this.keys.open(`channel:${channel}`, sealed, now);
      if (!opened) return this.refused(`channel ${channel}`, 'a message');
      const nonce = opened.value.slice(0, opened.value.indexOf('.'));
      if (seen.has(nonce)) return this.refused(`channel ${channel}`, 'a repeated message');
      for (const [old, until] of seen) if (until < now) seen.delete(old);
      seen.set(nonce, (opened.expiresAt ?? now) + MESSAGE_TTL_MS);
      listener(opened.value.slice(nonce.length + 1));
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private sealKey(key: string, value: string, ttlMs: number): string {
    return this.keys.seal(`key:${key}`, value, this.now() + ttlMs);
  }

  private openKey(key: string, stored: string | undefined): string | undefined {
    if (stored === undefined) return undefined;
    const opened = this.keys.open(`key:${key}`, stored, this.now());
    if (opened) return opened.value;
    this.refused(`key ${kindOf(key)}`, 'a value');
    return undefined;
  }

  /** One stderr line per name: never the value, never the full key (an approval's id is its page's address). */
  private refused(where: string, what: string): void {
    const id = `${what} ${where}`;
    if (this.reported.has(id)) return;
    if (this.reported.size >= REPORTED_MAX) this.reported.clear();
    this.reported.add(id);
    this.log(`shared state: refused ${what} under ${where} in Redis: its MAC does not match SINCH_STATE_SECRET (tampered, expired, or written without the secret); treated as absent.`);
  }
}

/** "approval-decision:abc…" -> "approval-decision:*": what kind of key, not which. */
function kindOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : `${key.slice(0, colon)}:*`;
}
