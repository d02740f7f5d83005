// A value that arrives later and may change: whoever watches it gets the current one at once, then each new one.

export class Latest<T> {
  value: T | undefined;
  private readonly watchers = new Set<(value: T) => void>();

  set(value: T): void {
    this.value = value;
    for (const watcher of [...this.watchers]) watcher(value);
  }

  watch(watcher: (value: T) => void): () => void {
    this.watchers.add(watcher);
    if (this.value !== undefined) watcher(this.value);
    return () => this.watchers.delete(watcher);
  }
}
