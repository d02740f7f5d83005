// A map kept in order of last change and bounded: the entries changed longest ago are dropped first.

/** Sets the entry as the newest, then drops the oldest until at most `limit` remain. */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as K);
}
