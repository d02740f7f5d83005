// Authenticates what crosses the shared state (Redis): HMAC-SHA256 under a key derived from SINCH_STATE_SECRET.
// Every tag binds the name the value is stored or published under, so a valid value cannot be moved elsewhere,
// and the value's own deadline, so one put back after it expired is still refused.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const FORMAT = 'm1';
// Instances' clocks differ a little; a deadline is enforced this much late rather than refusing early.
const CLOCK_SKEW_MS = 30_000;

/** What a sealed value carries besides the value. */
export interface Opened {
  value: string;
  /** When the writer said it stops being valid (ms since the epoch); undefined: no deadline. */
  expiresAt?: number;
}

/**
 * The keys of one deployment: the current secret's, and during a rotation the previous secret's (accepted when
 * reading, never used to write). Each purpose gets its own derived key, so a tag made for one cannot serve another.
 */
export class Keyring {
  private readonly secrets: Buffer[];
  private readonly derived = new Map<string, Buffer[]>();

  constructor(current: string | Buffer, previous?: string | Buffer) {
    // Their length is checked where they are read (config: SINCH_STATE_SECRET, exit 2 when too short).
    this.secrets = [current, ...(previous === undefined ? [] : [previous])].map((secret) => Buffer.from(secret));
  }

  /** A keyring for one process (no shared state): a fresh random secret nobody else holds. */
  static random(): Keyring {
    return new Keyring(Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))));
  }

  /** `value` sealed for `name` (e.g. "key:approval:…" or "channel:calls"), valid until `expiresAt` when given. */
  seal(name: string, value: string, expiresAt?: number): string {
    const deadline = expiresAt === undefined ? '' : Math.ceil(expiresAt).toString(36);
    return `${FORMAT}.${deadline}.${this.tags('state', name, deadline, value)[0]}.${value}`;
  }

  /** The value when its tag matches `name` under either secret and its deadline has not passed; else undefined. */
  open(name: string, sealed: string, now: number): Opened | undefined {
    const [format, deadline, tag] = sealed.split('.', 3);
    if (format !== FORMAT || deadline === undefined || tag === undefined) return undefined;
    const value = sealed.slice(format.length + deadline.length + tag.length + 3);
    const given = Buffer.from(tag, 'base64url');
    const valid = this.tags('state', name, deadline, value).some((expected) => {
      const wanted = Buffer.from(expected, 'base64url');
      return given.length === wanted.length && timingSafeEqual(given, wanted);
    });
    if (!valid) return undefined;
    const expiresAt = deadline === '' ? undefined : parseInt(deadline, 36);
    if (expiresAt !== undefined && now > expiresAt + CLOCK_SKEW_MS) return undefined;
    return { value, expiresAt };
  }

  /** A secret-derived token for `data` (e.g. an approval's page token): every instance computes the same one. */
  derive(purpose: string, data: string): string {
    return this.tags(purpose, data)[0]!;
  }

  /** The same under each secret, current first: what a reader accepts during a rotation. */
  deriveAll(purpose: string, data: string): string[] {
    return this.tags(purpose, data);
  }

  private tags(purpose: string, ...parts: string[]): string[] {
    // Length-prefixed parts: no two different (name, deadline, value) triples feed the HMAC the same bytes.
    const message = parts.map((part) => `${Buffer.byteLength(part)}:${part}`).join('');
    return this.keysFor(purpose).map((key) => createHmac('sha256', key).update(message, 'utf8').digest('base64url'));
  }

  /** HKDF-SHA256 of each secret for one purpose, derived once. */
  private keysFor(purpose: string): Buffer[] {
    let keys = this.derived.get(purpose);
    if (!keys) {
      keys = this.secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, 'sinch-calling-mcp', `shared-state ${purpose} v1`, 32)));
      this.derived.set(purpose, keys);
    }
    return keys;
  }
}

/** SHA-256 of a token, for storing the token only as a hash and comparing hashes in constant time. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
