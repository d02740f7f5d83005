// Errors of the shared state, in a module of their own so callers can catch them without loading the Redis client.

/** Redis could not be reached or did not answer; the message names SINCH_REDIS_URL but never its password. */
export class RedisStateError extends Error {}

/** SINCH_REDIS_URL is malformed (the message never echoes the value, which may hold a password). */
export class RedisUrlError extends RedisStateError {}

/** A call on a SharedState after close(). */
export class SharedStateClosedError extends Error {
  constructor() {
    super('shared state is closed');
  }
}
