// Ways the sandbox can be told to misbehave, for fault tests: each fault applies to the next
// matching requests, a given number of times.

export type Fault =
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; retryAfter?: string; html?: boolean }
  | { kind: 'invalidJson' }
  /** Answers with this redirect status; Location is the same path under `to` (an origin, or an origin plus a path prefix). */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; to: string };

export interface FaultMatch {
  method?: string;
  /** Matches when the request path contains this text. */
  path?: string;
}

interface Armed {
  fault: Fault;
  remaining: number;
  match: FaultMatch;
}

export class FaultPlan {
  private armed: Armed[] = [];

  add(fault: Fault, options: FaultMatch & { times?: number } = {}): void {
    const { times = 1, ...match } = options;
    this.armed.push({ fault, remaining: times, match });
  }

  clear(): void {
    this.armed = [];
  }

  /** The fault to apply to this request, consuming one use of it. */
  take(method: string, path: string): Fault | undefined {
    const found = this.armed.find(
      (a) => a.remaining > 0 && (!a.match.method || a.match.method === method) && (!a.match.path || path.includes(a.match.path)),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining === 0) this.armed = this.armed.filter((a) => a !== found);
    return found.fault;
  }
}
