// What this server knows about calls beyond Sinch's answers: the label a person gave a callee, the
// regional URL a call lives on, and the conference (with hold music and DTMF options) a callout joins.
// One owner for all of it; in memory, or, with SINCH_STATE_FILE, an append-only JSON-lines file that is
// compacted on start and kept bounded; with several instances on Redis, changes are shared between them.
import { access, appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { logLine } from '../support/log.js';
import { setNewest } from '../support/newest.js';
import type { ConferenceDtmfOptions, MusicOnHold } from '../sinch/custom.js';
import { type SinchRequest, onRegion } from '../sinch/client.js';
import type { SharedState } from './shared.js';

export type { ConferenceDtmfOptions, MusicOnHold } from '../sinch/custom.js';

export interface CallRecord {
  callId: string;
  kind?: 'tts' | 'conference' | 'incoming';
  label?: string;
  /** The conference a conference callout joins once its ACE is answered. */
  conferenceId?: string;
  moh?: MusicOnHold;
  conferenceDtmfOptions?: ConferenceDtmfOptions;
  /** Base URL of the region the call lives on (from an ICE's callResourceUrl), e.g. https://calling-euc1.api.sinch.com/calling/v1. */
  regionBase?: string;
  /** For a callout: which call events it asked Sinch for. */
  events?: { ace: boolean; dice: boolean };
  /** When this server first learned of the call (its callout was placed, its ICE arrived), in ms since the epoch. */
  seenAt?: number;
}

/**
 * The region a room lives on: that of the newest call this server knows in the room that came with a region
 * (a dial-in whose ICE carried a regional callResourceUrl and was answered with connectConf to this room).
 * None: the configured calling URL, where this server's own callouts create and join rooms.
 */
export function roomRegion(known: CallRecord[]): string | undefined {
  const regional = known.filter((c) => c.regionBase).sort((a, b) => (b.seenAt ?? 0) - (a.seenAt ?? 0));
  return regional[0]?.regionBase;
}

export type CallPatch = Omit<CallRecord, 'callId'>;

/** Channel of call-state changes between instances, and how long a shared call record is kept. */
const CHANGES = 'calls';
const SHARED_TTL_MS = 24 * 60 * 60_000;
/**
 * How long "the shared state does not know this call" is believed without asking Redis again. A call another
 * instance learns of reaches this one as a change message at once (and is then known here); this only bounds
 * how long a lost message could hide it. Polling a call no instance knows then costs Redis one read a second.
 */
const UNKNOWN_TRUSTED_MS = 1_000;

export class CallState {
  private readonly calls = new Map<string, CallRecord>();
  private shared?: { state: SharedState; instance: string; now: () => number };
  /** Calls the shared state did not know when last asked, with when that answer was given. */
  private readonly unknown = new Map<string, number>();
  private appended = 0;
  // Writes run one after another, so the file keeps the order of changes.
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private readonly capacity: number,
  ) {}

  static inMemory(capacity = 10_000): CallState {
    return new CallState(undefined, capacity);
  }

  /** Opens the state: empty in memory, or read from (and compacted into) the file when one is given. */
  static async open(file?: string, capacity = 10_000): Promise<CallState> {
    const state = new CallState(file, capacity);
    if (file) {
      try {
        const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return '';
          throw error;
        });
        for (const line of text.split('\n')) state.applyLine(line);
        await state.compact();
      } catch (error) {
        throw new Error(`SINCH_STATE_FILE=${file} cannot be read and rewritten (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a writable path.`);
      }
    }
    return state;
  }

  /**
   * Shares this state with other instances (Redis): every change is published and applied by the others,
   * and each call is also stored, so an instance that started later can still look it up.
   */
  async share(shared: SharedState, instance: string, now: () => number = Date.now): Promise<void> {
    this.shared = { state: shared, instance, now };
    await shared.subscribe(CHANGES, (message) => {
      const change = JSON.parse(message) as { from: string; callId: string; patch: CallPatch };
      if (change.from !== instance) this.applyLocally(change.callId, change.patch);
    });
  }

  /**
   * Merges what is now known about a call. A label moves to the newest call that takes it in a conference (matched
   * case-insensitively); the tools refuse to give it while the old call is live, so here it only moves.
   */
  async remember(callId: string, patch: CallPatch): Promise<void> {
    const clean = this.applyLocally(callId, patch);
    await this.writes;
    if (this.shared) {
      const { state, instance } = this.shared;
      await state.set(`call:${callId}`, JSON.stringify(this.calls.get(callId)), SHARED_TTL_MS);
      await state.publish(CHANGES, JSON.stringify({ from: instance, callId, patch: clean }));
    }
  }

  private applyLocally(callId: string, patch: CallPatch): CallPatch {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as CallPatch;
    // Stamped once, by the instance that learns of the call first; the others get it with the change.
    if (!this.calls.has(callId) && clean.seenAt === undefined) clean.seenAt = Date.now();
    if (clean.label !== undefined) {
      const conferenceId = clean.conferenceId ?? this.calls.get(callId)?.conferenceId;
      for (const other of this.calls.values()) {
        if (other.callId !== callId && sameLabel(other.label, clean.label) && other.conferenceId === conferenceId) {
          delete other.label;
          this.persist({ callId: other.callId, label: null });
        }
      }
    }
    this.apply({ callId, ...clean });
    this.unknown.delete(callId);
    this.persist({ callId, ...clean });
    return clean;
  }

  /** Lookups in the shared state that failed (Redis unreachable) and were answered "not known" instead. */
  sharedMisses = 0;

  async get(callId: string): Promise<CallRecord | undefined> {
    const found = this.calls.get(callId);
    if (found) return { ...found };
    if (!this.shared) return undefined;
    const { state, now } = this.shared;
    const askedAt = this.unknown.get(callId);
    if (askedAt !== undefined && now() - askedAt < UNKNOWN_TRUSTED_MS) return undefined;
    try {
      const stored = await state.get(`call:${callId}`);
      if (stored) return JSON.parse(stored) as CallRecord;
      // Its change message may have arrived while Redis answered: then it is known here, not unknown.
      if (!this.calls.has(callId)) setNewest(this.unknown, callId, now(), this.capacity);
      return undefined;
    } catch (error) {
      // Reads never need Redis: without it a call is looked up on the configured region, without its label.
      if (this.sharedMisses++ === 0) logLine(`call state: the shared state is unreachable (${(error as Error).message}); calls known only to other instances are looked up without their label or region until it is back.`);
      return undefined;
    }
  }

  /** A request about one call, sent to the region the call lives on when its ICE said so. */
  async onRegion(request: SinchRequest, callId: string): Promise<SinchRequest> {
    return onRegion(request, (await this.get(callId))?.regionBase);
  }

  /** The newest call this server gave this label (case-insensitive), in that room when one is named. */
  async withLabel(label: string, conferenceId?: string): Promise<CallRecord | undefined> {
    const wanted = label.toLowerCase();
    const found = [...this.calls.values()].reverse().find((c) => c.label?.toLowerCase() === wanted && (conferenceId === undefined || c.conferenceId === conferenceId));
    return found && { ...found };
  }

  /** Calls this server knows in a conference (labelled or not), oldest first. */
  async inConference(conferenceId: string): Promise<CallRecord[]> {
    return [...this.calls.values()].filter((c) => c.conferenceId === conferenceId).map((c) => ({ ...c }));
  }

  /** Calls that carry a label, in any room or none, in the order they last changed (oldest first). */
  async labelled(): Promise<CallRecord[]> {
    return [...this.calls.values()].filter((c) => c.label !== undefined).map((c) => ({ ...c }));
  }

  /** Waits for pending file writes (tests, shutdown). */
  async flush(): Promise<void> {
    await this.writes;
  }

  private apply(line: Record<string, unknown>): void {
    const callId = typeof line.callId === 'string' ? line.callId : undefined;
    if (!callId) return;
    const current: Record<string, unknown> = { ...this.calls.get(callId), callId };
    for (const [key, value] of Object.entries(line)) {
      if (value === null) delete current[key];
      else current[key] = value;
    }
    setNewest(this.calls, callId, current as unknown as CallRecord, this.capacity);
  }

  private applyLine(line: string): void {
    if (!line.trim()) return;
    try {
      this.apply(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A torn last line (e.g. a crash mid-write) is skipped; the rest still counts.
    }
  }

  private persist(line: Record<string, unknown>): void {
    if (!this.file) return;
    const file = this.file;
    this.appended += 1;
    // Bounded: once the file holds about twice what memory keeps, it is rewritten from memory.
    const compactNow = this.appended > this.capacity;
    this.writes = this.writes
      .then(() => (compactNow ? this.compact() : this.append(file, line)))
      // Memory stays right; only the restart copy is behind. Said once per failure, never fatal.
      .catch((error: Error) => logLine(`could not write SINCH_STATE_FILE: ${error.message}`));
  }

  /**
   * Appends one change. The file exists from open() on, so a missing one was deleted while running: appendFile
   * would silently start a file without the earlier records, so it is rewritten from memory, and the loss is said.
   */
  private async append(file: string, line: Record<string, unknown>): Promise<void> {
    const gone = await access(file).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    if (!gone) return appendFile(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    logLine(
      `SINCH_STATE_FILE ${file} was deleted while the server ran: its earlier records are gone from disk. It is written again from memory (${this.calls.size} calls known here); a restart before this would have forgotten them. Do not delete it while the server runs.`,
    );
    return this.compact();
  }

  /** Rewrites the file with one line per known call (written aside, then renamed, so a crash loses nothing). */
  private async compact(): Promise<void> {
    if (!this.file) return;
    this.appended = 0;
    const text = [...this.calls.values()].map((c) => `${JSON.stringify(c)}\n`).join('');
    await writeFile(`${this.file}.tmp`, text, { mode: 0o600 });
    await rename(`${this.file}.tmp`, this.file);
  }
}

/** Labels are matched case-insensitively: "anna" names Anna. */
export function sameLabel(label: string | undefined, other: string): boolean {
  return label !== undefined && label.toLowerCase() === other.toLowerCase();
}
