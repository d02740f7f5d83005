// One overall deadline per request, joined with the caller's cancel signal. Built by hand and released
// when the request ends: AbortSignal.timeout + AbortSignal.any keep every signal alive until its timer
// fires (measured: ~33 MiB retained per 10 000 requests with a 10 s timeout).

export interface Deadline {
  signal: AbortSignal;
  /** True once the deadline passed (as opposed to the caller cancelling). */
  expired(): boolean;
  release(): void;
}

export function deadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    release() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
