// Watching Sinch instead of being called by it. With no public callback URL, call events are made from the state
// Sinch reports: a call answered (ACE) or ended (DiCE), someone joining (ACE) or leaving (DiCE) a room. Each
// watched call or room is read at most once every `everyMs` (2 s), however many waiters share it, and only while
// someone waits. A call's answer and end are each reported once, whichever watch saw them first. The first read
// of a room is its baseline: of those already in it, only the calls this server placed there are reported as
// joins (a callout's join must not be lost because nobody was waiting yet), not everyone who was there before.
import { type SinchClient, onRegion } from '../sinch/client.js';
import { endpoints } from '../sinch/endpoints.js';
import { SinchApiError } from '../sinch/errors.js';
import { number, record, text } from '../sinch/read.js';
import { type CallState, roomRegion } from '../state/calls.js';
import { setNewest } from '../support/newest.js';
import type { EventBuffer } from './buffer.js';

export type WatchTarget = { callId: string } | { conferenceId: string };

interface Watched {
  waiters: number;
  lastReadAt: number;
  timer?: NodeJS.Timeout;
}

/** How many calls and rooms the watcher remembers what it reported about. */
const REMEMBERED = 5_000;

export class Watcher {
  private readonly watched = new Map<string, Watched>();
  /** Per call: whether its answer and its end were reported (by any watch). */
  private readonly reported = new Map<string, { answered: boolean; ended: boolean }>();
  /** Per room: who was in it at the last read (the first read of a room is its baseline, not a wave of joins). */
  private readonly rooms = new Map<string, Set<string>>();

  constructor(
    private readonly client: SinchClient,
    private readonly calls: CallState,
    private readonly events: EventBuffer,
    readonly everyMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Watches the call or room until the returned function is called (by every waiter that watches it). */
  watch(target: WatchTarget): () => void {
    const key = 'callId' in target ? `call:${target.callId}` : `room:${target.conferenceId}`;
    let entry = this.watched.get(key);
    if (!entry) this.watched.set(key, (entry = { waiters: 0, lastReadAt: -Infinity }));
    entry.waiters += 1;
    if (entry.waiters === 1) this.schedule(key, target, entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.waiters -= 1;
      if (entry.waiters > 0) return;
      clearTimeout(entry.timer);
      entry.timer = undefined;
    };
  }

  /** Stops every watch (shutdown). */
  close(): void {
    for (const entry of this.watched.values()) clearTimeout(entry.timer);
    this.watched.clear();
  }

  private schedule(key: string, target: WatchTarget, entry: Watched): void {
    const wait = Math.max(0, entry.lastReadAt + this.everyMs - this.now());
    entry.timer = setTimeout(async () => {
      entry.lastReadAt = this.now();
      // A failed read (Sinch unreachable for a moment) is tried again at the next turn; the waiter's own timeout bounds it.
      await ('callId' in target ? this.readCall(target.callId) : this.readRoom(target.conferenceId)).catch(() => undefined);
      if (entry.waiters > 0 && this.watched.get(key) === entry) this.schedule(key, target, entry);
    }, wait);
    entry.timer.unref();
  }

  private async readCall(callId: string): Promise<void> {
    const call = record(await this.readOrGone(await this.calls.onRegion(endpoints.getCall(callId), callId)));
    if (!Object.keys(call).length) return;
    const answered = text(call.result) === 'ANSWERED';
    const ended = text(call.status) === 'FINAL';
    if (answered) await this.report(callId, 'answered', { event: 'ace', callid: callId });
    if (ended) await this.report(callId, 'ended', { event: 'dice', callid: callId, result: text(call.result), reason: text(call.reason), duration: number(call.duration) });
  }

  private async readRoom(conferenceId: string): Promise<void> {
    const region = roomRegion(await this.calls.inConference(conferenceId));
    const room = record(await this.readOrGone(onRegion(endpoints.getConference(conferenceId), region)));
    const rows = Array.isArray(room.participants) ? room.participants : [];
    const present = new Set(rows.map((row) => text(record(row).id) ?? text(record(row).callId)).filter((id): id is string => id !== undefined));
    const before = this.rooms.get(conferenceId);
    setNewest(this.rooms, conferenceId, present, REMEMBERED);
    const ours = before ? undefined : new Set((await this.calls.inConference(conferenceId)).map((call) => call.callId));
    for (const callId of present) {
      if (before ? !before.has(callId) : ours!.has(callId)) await this.report(callId, 'answered', { event: 'ace', callid: callId, conferenceId });
    }
    if (!before) return;
    for (const callId of before) if (!present.has(callId)) await this.report(callId, 'ended', { event: 'dice', callid: callId, conferenceId });
  }

  /** Sinch's answer, or {} when it no longer knows the call or room (404). */
  private async readOrGone(request: Parameters<SinchClient['send']>[0]): Promise<unknown> {
    try {
      return await this.client.send(request);
    } catch (error) {
      if (error instanceof SinchApiError && error.details.status === 404) return {};
      throw error;
    }
  }

  private async report(callId: string, what: 'answered' | 'ended', body: Record<string, unknown>): Promise<void> {
    const seen = this.reported.get(callId) ?? { answered: false, ended: false };
    if (seen[what]) return;
    seen[what] = true;
    setNewest(this.reported, callId, seen, REMEMBERED);
    const known = await this.calls.get(callId);
    await this.events.append({ ...body, watched: true }, { conferenceId: known?.conferenceId ?? (body.conferenceId as string | undefined), label: known?.label });
  }
}
