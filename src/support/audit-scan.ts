// After a crash: the writes whose intent line has no outcome line (the process died while the request was at
// Sinch, or before it). Read from the end of the audit file, bounded, at start.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { AuditEntry } from './audit.js';

/** How much of the file's end is read: far more than the writes of the last minutes, and bounded. */
const TAIL_BYTES = 4 * 1024 * 1024;

export type UnresolvedWrite = AuditEntry & { writeId: string; ts: string };

/** Intent lines with a writeId and no outcome line of the same writeId; none when the file cannot be read. */
export function unresolvedWrites(path: string, tailBytes = TAIL_BYTES): UnresolvedWrite[] {
  let text: string;
  try {
    text = readTail(path, tailBytes);
  } catch {
    return [];
  }
  const intents = new Map<string, UnresolvedWrite>();
  for (const line of text.split('\n')) {
    const entry = parse(line);
    if (!entry?.writeId) continue;
    if (entry.phase === 'intent') intents.set(entry.writeId, entry as UnresolvedWrite);
    else intents.delete(entry.writeId);
  }
  return [...intents.values()];
}

function readTail(path: string, tailBytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, tailBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    // A cut first line is not JSON and is skipped.
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function parse(line: string): (AuditEntry & { writeId?: string; ts?: string }) | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
