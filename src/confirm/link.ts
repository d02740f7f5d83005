// Remote mode, for a client that can neither show a dialog nor a link: the model receives the approval
// page's link and a reference, a person signs in on the page (with their own token, one whose scope allows
// the action) and decides, and the model calls again with the reference. The model sees a link at most; it
// holds no token that could sign in. An approval releases only the call it was made for, once.
import { type ApprovalContext, isRandomId } from './approvals.js';
import type { ApprovalPages } from './pages.js';
import type { Preview } from './preview.js';
import { APPROVAL_LOST, APPROVAL_TOO_LATE } from './texts.js';

export type LinkResult =
  | { go: true; approvedBy?: string }
  | { go: false; status: 'declined' }
  | { go: false; error: string }
  | { go: false; pending: { url: string; reference: string; expiresAt: number } };

export async function approveByLink(
  preview: Preview,
  settings: { pages: ApprovalPages; timeoutMs: number },
  context: ApprovalContext & { binding: string },
  reference?: string,
): Promise<LinkResult> {
  const { approvals } = settings.pages;
  if (reference === undefined) {
    const approval = await approvals.store(preview, settings.timeoutMs, context);
    return { go: false, pending: { url: await settings.pages.urlFor(approval.id), reference: approval.id, expiresAt: approval.expiresAt } };
  }
  const approval = isRandomId(reference) ? await approvals.get(reference) : undefined;
  // A reference of the right shape that the shared state no longer holds was lost (or expired long ago), not forged.
  if (!approval && isRandomId(reference)) return { go: false, error: APPROVAL_LOST(approvals.lostAt) };
  if (!approval || approval.context.binding !== context.binding) {
    return { go: false, error: 'confirmationToken does not belong to this call (other tool, arguments or caller). Nothing was done; call again without it to get a new approval link.' };
  }
  switch (approval.state) {
    case 'pending':
      return { go: false, error: `Not approved yet: ${await settings.pages.urlFor(approval.id)} is waiting for a person. Nothing was done; call again with the same arguments and confirmationToken once they approved.` };
    case 'denied':
      return { go: false, status: 'declined' };
    case 'expired':
    case 'cancelled':
      return { go: false, error: 'That approval expired before it was used. Nothing was done; call again without confirmationToken to get a new approval link.' };
    case 'approved':
      switch (await approvals.redeem(approval)) {
        case 'late':
          return { go: false, error: APPROVAL_TOO_LATE(approval.expiresAt) };
        case 'used':
          return { go: false, error: 'That approval was already used: each approval performs one action. Nothing was done.' };
        case 'ok':
          return { go: true, approvedBy: approval.decidedBy };
      }
  }
}
