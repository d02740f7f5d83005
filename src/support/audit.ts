// The audit trail of writes: an intent line before a request is sent and an outcome line after it, on
// stderr and, when configured, appended to a file.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ConfirmedBy } from '../kinds/confirmation.js';
import { logLine } from './log.js';

/**
 * One write, audited twice: an `intent` line before the request is sent and an `outcome` line after it.
 * outcome "unknown": the request may have reached Sinch (timeout, cancel, connection lost after sending).
 */
export interface AuditEntry {
  phase: 'intent' | 'outcome';
  tool: string;
  /** The tool's arguments, with sensitive values (recording credentials) hidden. */
  arguments: Record<string, unknown>;
  sandbox: boolean;
  request: { method: string; path: string };
  /** How a person confirmed it: form, url, page, token (relayed by the model), skipped, or none (unguarded). */
  confirmedBy: ConfirmedBy;
  /** HTTP mode: the subject that called the tool, and the one that approved it on the page. */
  caller?: string;
  approvedBy?: string;
  /** The caller approved their own action (only where SINCH_ALLOW_SELF_APPROVAL=true lets them). */
  selfApproved?: true;
  /** Pairs a write's intent and outcome lines: an intent without an outcome is found after a crash. */
  writeId?: string;
  /** A callout's destination as dialled (E.164, username or SIP address). */
  destination?: string;
  /** Why an outcome line was written by the server itself (e.g. an intent found without one at start). */
  note?: string;
  outcome?: 'ok' | 'error' | 'unknown';
  /** For a tool that sends several requests: each one, as "METHOD path", in the order sent. */
  sent?: string[];
  ids?: Record<string, unknown>;
  error?: string;
}

export type Audit = (entry: AuditEntry) => void;

export class AuditLogError extends Error {}

/** The intent line of a write could not be written: the write is not sent (the audit fails closed). */
export class AuditWriteError extends Error {}

/** Outcome lines kept in memory while the file cannot be written, written first once it can. */
const UNWRITTEN_MAX = 1_000;

/**
 * Audit lines on stderr and, when a path is given, appended to that file. The file is opened at start (a
 * path that cannot be opened for appending stops the server) and written synchronously, so a line is on
 * disk before the request it announces is sent, and nothing is lost when the process exits right after.
 * It fails closed: an intent line that cannot be written throws AuditWriteError, so the write is refused; an
 * outcome line (the action already happened) is kept and written first once the file works again.
 * reopen() follows logrotate's convention (SIGHUP): a renamed file is left, and a new one opened at the path.
 */
export function createAuditLog(path: string | undefined): Audit & { close(): void; reopen(): void } {
  const open = () => {
    try {
      return openSync(path!, 'a', 0o600);
    } catch (error) {
      throw new AuditLogError(`SINCH_AUDIT_LOG=${JSON.stringify(path)} cannot be opened for appending (${codeOf(error)}); fix the path or its permissions.`);
    }
  };
  let fd = path ? open() : undefined;
  const unwritten: string[] = [];
  const append = (line: string) => {
    const written = writeSync(fd!, line);
    if (written !== Buffer.byteLength(line)) throw Object.assign(new Error(`short write (${written} bytes)`), { code: 'EIO' });
  };
  const audit = (entry: AuditEntry) => {
    const line = `${JSON.stringify({ audit: true, ts: new Date().toISOString(), ...entry })}\n`;
    process.stderr.write(line);
    if (fd === undefined) return;
    try {
      while (unwritten.length) {
        append(unwritten[0]!);
        unwritten.shift();
      }
      append(line);
    } catch (error) {
      if (entry.phase === 'outcome') {
        if (unwritten.length < UNWRITTEN_MAX) unwritten.push(line);
        logLine(`could not append to SINCH_AUDIT_LOG (${codeOf(error)}): the outcome line above is kept and written once the file can be; new writes are refused until then.`);
        return;
      }
      logLine(`could not append to SINCH_AUDIT_LOG (${codeOf(error)}): writes are refused until it can be written.`);
      throw new AuditWriteError(
        `Not sent: the audit log (SINCH_AUDIT_LOG) cannot be written (${codeOf(error)}), and no write goes out unaudited. Tell the operator (disk full? file removed?); reads still work.`,
      );
    }
  };
  return Object.assign(audit, {
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
    reopen() {
      if (fd === undefined) return;
      try {
        const next = open();
        closeSync(fd);
        fd = next;
        logLine('SINCH_AUDIT_LOG reopened.');
      } catch (error) {
        logLine(`${(error as Error).message} Still writing to the file opened before.`);
      }
    },
  });
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
