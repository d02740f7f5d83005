// Values that must never be shown, logged or audited (recording credentials, tokens), by key name.
const SENSITIVE_KEY = /^(credentials|password|secret|token|confirmationToken|authorization)$/i;

export const HIDDEN = '(set, hidden)';

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** An identifier shown partly (first 4 and last 2 characters), enough to tell which one without repeating it. */
export function partly(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}…${value.slice(-2)}` : '…';
}

/** A deep copy with every sensitive value replaced by a placeholder. */
export function redact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redact(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, isSensitiveKey(key) ? HIDDEN : redact(item)]),
  ) as T;
}
