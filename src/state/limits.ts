// Argument checks both SharedState implementations apply, so a bad TTL or window fails the same way in memory
// as on Redis (where PX needs a positive integer) instead of working in one and not the other.

/** A TTL in whole milliseconds (Redis PX takes integers), at least 1. */
export function ttlOf(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

export function checkWindow(limit: number | undefined, windowMs: number, now: number): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new RangeError(`limit must be a whole number of at least 0, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`windowMs must be a positive number of milliseconds, got ${windowMs}`);
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite timestamp in milliseconds, got ${now}`);
}
