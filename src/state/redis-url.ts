// SINCH_REDIS_URL checked and described without its password: the description is what errors and logs show.
import { RedisUrlError } from './errors.js';

const ALLOWED = 'redis://[user[:password]@]host[:port][/db] or rediss://… (TLS)';

/** Throws RedisUrlError naming SINCH_REDIS_URL; the value itself is never echoed, since it may hold a password. */
export function checkRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RedisUrlError(`SINCH_REDIS_URL is not a URL; expected ${ALLOWED}.`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(`SINCH_REDIS_URL must start with redis:// or rediss://, not ${url.protocol}//; expected ${ALLOWED}.`);
  }
  if (!url.hostname) throw new RedisUrlError(`SINCH_REDIS_URL names no host; expected ${ALLOWED}.`);
  if (!/^(\/\d*)?$/.test(url.pathname)) throw new RedisUrlError(`SINCH_REDIS_URL's path must be a database number such as /0; expected ${ALLOWED}.`);
  return url;
}

/** e.g. `redis://cache.internal:6379/0 (password hidden)`: safe to log. */
export function describeRedisUrl(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const port = url.port || '6379';
  const db = url.pathname.length > 1 ? url.pathname : '';
  return `${url.protocol}//${user}${url.hostname}:${port}${db}${url.password ? ' (password hidden)' : ''}`;
}
