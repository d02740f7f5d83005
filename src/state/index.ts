// The shared state the server runs on: in memory by default, on Redis when SINCH_REDIS_URL is set.
import { MemoryState } from './memory.js';
import type { RedisStateOptions } from './redis.js';
import type { SharedState } from './shared.js';

export type { SharedState } from './shared.js';
export type { RedisStateOptions } from './redis.js';
export { MemoryState, type MemoryStateOptions } from './memory.js';
export { RedisStateError, RedisUrlError, SharedStateClosedError } from './errors.js';
export { checkRedisUrl, describeRedisUrl } from './redis-url.js';

/**
 * MemoryState without a URL; with one, a connected RedisState (the client is loaded only then). Rejects with a
 * RedisUrlError for a malformed URL or a RedisStateError when Redis cannot be reached, both naming SINCH_REDIS_URL.
 */
export async function createSharedState(redisUrl?: string, options: RedisStateOptions = {}): Promise<SharedState> {
  if (!redisUrl) return new MemoryState();
  const { RedisState } = await import('./redis.js');
  return RedisState.connect(redisUrl, options);
}
