// Tolerant readers for Sinch bodies (API responses and callback events): fields may be missing, differently cased or typed.

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function number(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Sinch money/price in either shape: {currencyId, amount} (amount number or string). */
export function money(value: unknown): { currency: string; amount: number } | undefined {
  const m = record(value);
  const amount = number(m.amount);
  if (amount === undefined) return undefined;
  return { currency: text(m.currencyId) ?? text(m.currency) ?? 'unknown', amount };
}

/** A destination or legacy identity ({type, endpoint}) or a bare string, as its endpoint. */
export function endpoint(value: unknown): string | undefined {
  return typeof value === 'string' ? value : text(record(value).endpoint);
}

export function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
