// What identifies a request's effect: method, base, path and body. Tokens and approvals are bound to it, and a
// repeat of a recent write is recognised by it.
import type { SinchRequest } from './client.js';

export function fingerprint(request: SinchRequest): string {
  const text = JSON.stringify([request.method, request.base, request.path, request.body ?? null]);
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text, 'utf8').digest('base64');
}
