// Waits for something a test can observe instead of sleeping for a guessed time: fast on an idle machine,
// still right on a loaded one. It polls on setTimeout: under fake timers it moves only as the test advances them.

export interface UntilOptions {
  /** What is awaited, for the error on timeout: "timed out after 5000 ms waiting for <what>". */
  what: string;
  /** Default 5 000 ms. */
  timeoutMs?: number;
  /** Pause between checks; default 20 ms. */
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Resolves with the condition's first truthy value; rejects when it is still falsy after timeoutMs. */
export async function until<T>(condition: () => T | Promise<T>, { what, timeoutMs = 5_000, intervalMs = 20 }: UntilOptions): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = () => new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  for (;;) {
    // A condition that hangs is bounded by the same deadline as one that stays falsy.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), Math.max(0, deadline - Date.now()))));
    const value = await Promise.race([Promise.resolve().then(condition), late]).finally(() => clearTimeout(timer));
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw timedOut();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
