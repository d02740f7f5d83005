// Remote mode: who may decide an approval on the page. An approver's own credential (sinch:approve), never the
// token that made the call, and not the caller's own subject unless the operator allows self-approval (which
// four eyes overrides). The page asks these rules at sign-in and again at every decision.
import { APPROVE_SCOPE } from '../kinds/scopes.js';
import type { Approval } from './approvals.js';
import type { Approver } from './page-server.js';

export interface ApproverRules {
  allowSelfApproval: boolean;
  fourEyes: boolean;
}

/** Why this approver may not decide this approval, in words the page shows; undefined when they may. */
export function approverRefusal(approval: Approval, approver: Approver, rules: ApproverRules): string | undefined {
  if (!approver.scopes.includes(APPROVE_SCOPE)) {
    return `${approver.subject} may not approve: approving needs the ${APPROVE_SCOPE} scope, which no calling scope includes.`;
  }
  const { requestedBy, requestedWith } = approval.context;
  if (requestedWith !== undefined && approver.credential === requestedWith) {
    return "The token that made this call cannot approve it: sign in with an approver's own token.";
  }
  if (requestedBy !== undefined && approver.subject === requestedBy) {
    if (rules.fourEyes) return `Four eyes: ${requestedBy} asked for this action, so someone else must approve it.`;
    if (!rules.allowSelfApproval) return `${requestedBy} asked for this action and may not also approve it: another approver must (or the operator sets SINCH_ALLOW_SELF_APPROVAL=true).`;
  }
  return undefined;
}
