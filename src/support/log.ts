// Every log goes to stderr: stdout carries only JSON-RPC.

export function logLine(message: string): void {
  process.stderr.write(`sinch-calling-mcp: ${message}\n`);
}
