// Every log goes to stderr: stdout carries only JSON-RPC.
export function logLine(message: string): void {
  process.stderr.write(`sinch-calling-mcp: ${message}\n`);
}

export interface AuditEntry {
  tool: string;
  arguments: Record<string, unknown>;
  outcome: 'ok' | 'error';
  sandbox: boolean;
  request: { method: string; path: string };
  ids?: Record<string, unknown>;
  error?: string;
}

/** One JSON line per executed write, on stderr and (optionally) appended to a file. */
export function createAuditLog(path: string | undefined): (entry: AuditEntry) => Promise<void> {
  return async (entry) => {
    const line = `${JSON.stringify({ audit: true, time: new Date().toISOString(), ...entry })}\n`;
    process.stderr.write(line);
    if (!path) return;
    // Loaded on first use: most servers never write an audit file, and start-up stays lean.
    const { appendFile } = await import('node:fs/promises');
    await appendFile(path, line, { mode: 0o600 }).catch((error) => logLine(`could not append to SINCH_AUDIT_LOG: ${(error as Error).message}`));
  };
}
