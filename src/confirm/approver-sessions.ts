// Remote mode: approvers signed in on the approval page (15 minutes), kept in the shared state so any instance's
// page knows them; the cookie holds only a random id.
import type { SharedState } from '../state/shared.js';
import { isRandomId, randomId } from './approvals.js';
import type { Approver, ApproverSessions } from './page-server.js';

export function sharedApproverSessions(state: SharedState, ttlMs = 15 * 60_000): ApproverSessions {
  return {
    async create(approver, expiresAt) {
      const id = randomId();
      // Never longer than the token it was made with: a sign-in must not outlive an expired JWT.
      const lifetime = Math.min(ttlMs, expiresAt === undefined ? ttlMs : expiresAt - Date.now());
      const { subject, scopes, credential } = approver;
      if (lifetime > 0) await state.set(`approver:${id}`, JSON.stringify({ subject, scopes, credential }), lifetime);
      return id;
    },
    async get(id) {
      if (!isRandomId(id)) return undefined;
      const stored = await state.get(`approver:${id}`);
      return stored ? (JSON.parse(stored) as Approver) : undefined;
    },
  };
}
