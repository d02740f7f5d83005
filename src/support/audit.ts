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
  outcome?: 'ok' | 'error' | 'unknown';
  /** For a tool that sends several requests: each one, as "METHOD path", in the order sent. */
  sent?: string[];
  ids?: Record<string, unknown>;
  error?: string;
}

export type Audit = (entry: AuditEntry) => void;

export class AuditLogError extends Error {}

/**
 * Audit lines on stderr and, when a path is given, appended to that file. The file is opened at start (a
 * path that cannot be opened for appending stops the server) and written synchronously, so a line is on
 * disk before the request it announces is sent, and nothing is lost when the process exits right after.
 */
export function createAuditLog(path: string | undefined): Audit & { close(): void } {
  let fd: number | undefined;
  if (path) {
    try {
      fd = openSync(path, 'a', 0o600);
    } catch (error) {
      throw new AuditLogError(`SINCH_AUDIT_LOG=${JSON.stringify(path)} cannot be opened for appending (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); fix the path or its permissions.`);
    }
  }
  const audit = (entry: AuditEntry) => {
    const line = `${JSON.stringify({ audit: true, ts: new Date().toISOString(), ...entry })}\n`;
    process.stderr.write(line);
    if (fd === undefined) return;
    try {
      writeSync(fd, line);
    } catch (error) {
      logLine(`could not append to SINCH_AUDIT_LOG: ${(error as Error).message}`);
    }
  };
  return Object.assign(audit, {
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  });
}
