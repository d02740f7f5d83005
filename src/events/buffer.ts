// The recent call events: a bounded ring in memory (optionally appended to a JSON-lines file), with
// listeners for resource notifications and waiters for wait_for_call_event. Each call keeps at most
// maxPerCall events, so one call's flood cannot evict every other call's events.
import { appendFile } from 'node:fs/promises';
import { type CallEvent, type EventType, parseEvent } from './event.js';

export interface EventFilter {
  callId?: string;
  conferenceId?: string;
  types?: EventType[];
  /** Only events with a larger seq. */
  afterSeq?: number;
}

function matches(event: CallEvent, filter: EventFilter): boolean {
  return (
    (filter.callId === undefined || event.callId === filter.callId) &&
    (filter.conferenceId === undefined || event.conferenceId === filter.conferenceId) &&
    (filter.types === undefined || filter.types.length === 0 || filter.types.includes(event.type)) &&
    (filter.afterSeq === undefined || event.seq > filter.afterSeq)
  );
}

export class EventBuffer {
  private events: CallEvent[] = [];
  /** How many buffered events each callId has. */
  private readonly perCall = new Map<string, number>();
  private seq = 0;
  private readonly listeners = new Set<(event: CallEvent) => void>();
  // Appends run one after another, so the log keeps the order events arrived in.
  private logWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity = 1_000,
    private readonly logFile?: string,
    private readonly now: () => Date = () => new Date(),
    readonly maxPerCall = 50,
    /** Where seq numbers come from: this buffer's own count, or one sequence shared by every instance (Redis). */
    private readonly nextSeq?: () => Promise<number>,
  ) {}

  /** Adds a Sinch event body with the next seq of the sequence this buffer numbers by. */
  async append(body: unknown, known: { conferenceId?: string; label?: string } = {}): Promise<CallEvent | undefined> {
    return this.add(body, known, this.nextSeq ? await this.nextSeq() : undefined);
  }

  /**
   * Adds a Sinch event body; known fills in the room and label of calls this server placed. `seq`: its number in
   * a sequence shared by instances (an event relayed from another one keeps its number); default the next here.
   */
  add(body: unknown, known: { conferenceId?: string; label?: string } = {}, seq = this.seq + 1): CallEvent | undefined {
    const event = parseEvent(body, seq, this.now());
    if (!event) return undefined;
    this.seq = Math.max(this.seq, event.seq);
    event.conferenceId ??= known.conferenceId;
    if (known.label) {
      event.label = known.label;
      event.summary = `${known.label}: ${event.summary}`;
    }
    // Numbered by a shared sequence, events may arrive out of order: the buffer stays in seq order.
    let at = this.events.length;
    while (at > 0 && this.events[at - 1]!.seq > event.seq) at -= 1;
    this.events.splice(at, 0, event);
    if (event.callId) {
      const count = (this.perCall.get(event.callId) ?? 0) + 1;
      this.perCall.set(event.callId, count);
      // Over its share, the call's own oldest event goes, not another call's.
      if (count > this.maxPerCall) this.evict(this.events.findIndex((e) => e.callId === event.callId));
    }
    while (this.events.length > this.capacity) this.evict(0);
    if (this.logFile) {
      const file = this.logFile;
      const line = `${JSON.stringify(event)}\n`;
      this.logWrites = this.logWrites.then(() => appendFile(file, line, { mode: 0o600 })).catch(() => undefined);
    }
    // A failing listener (e.g. a closed client) must not stop the answer to Sinch.
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // ignored on purpose
      }
    }
    return event;
  }

  private evict(index: number): void {
    const [gone] = this.events.splice(index, 1);
    if (!gone?.callId) return;
    const left = (this.perCall.get(gone.callId) ?? 1) - 1;
    if (left > 0) this.perCall.set(gone.callId, left);
    else this.perCall.delete(gone.callId);
  }

  list(filter: EventFilter = {}, limit = 100): CallEvent[] {
    return this.events.filter((event) => matches(event, filter)).slice(-limit);
  }

  size(): number {
    return this.events.length;
  }

  lastSeq(): number {
    return this.seq;
  }

  onEvent(listener: (event: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first matching event (buffered when afterSeq is given, else new), or undefined after timeoutMs or on abort. */
  waitFor(filter: EventFilter, timeoutMs: number, signal?: AbortSignal): Promise<CallEvent | undefined> {
    if (filter.afterSeq !== undefined) {
      const buffered = this.events.find((event) => matches(event, filter));
      if (buffered) return Promise.resolve(buffered);
    }
    return new Promise((resolve) => {
      const done = (event: CallEvent | undefined) => {
        clearTimeout(timer);
        stop();
        signal?.removeEventListener('abort', onAbort);
        resolve(event);
      };
      const stop = this.onEvent((event) => {
        if (matches(event, filter)) done(event);
      });
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const onAbort = () => done(undefined);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
