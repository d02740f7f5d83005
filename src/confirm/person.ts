// Asking a person, never the model: the client's form dialog, a URL elicitation pointing at the approval
// page, or the approval page opened in the browser by the server itself. The page URL goes only to the
// client's UI or the browser: never into a tool result, a log line or a notification the model can read.
import type { ConfirmedBy } from '../kinds/confirmation.js';
import type { ApprovalContext, PendingApproval } from './approvals.js';
import type { OpenUrl } from './browser.js';
import type { AskChannel, ConfirmOutcome } from './channel.js';
import type { ApprovalPages } from './pages.js';
import { type Preview, previewText } from './preview.js';
import { APPROVAL_LOST, APPROVAL_UNREACHABLE, APPROVAL_WITHDRAWN, BROWSER_FAILED, FORM_FAILED, LINK_OFFER, NOTHING_DONE, NO_DECISION, PAGE_FAILED, WAITING } from './texts.js';

export interface PersonSettings {
  timeoutMs: number;
  /** How often a waiting call reports progress (when the client asked for it). */
  progressEveryMs: number;
  pages: ApprovalPages;
  openUrl: OpenUrl;
  /** Told the page's URL once it exists (remote mode: the approval card offers it too). */
  shown?: (url: string, expiresAt: number) => void;
}

export type PersonAnswer = { go: true; by: ConfirmedBy; approvedBy?: string } | { go: false; status: 'declined' | 'cancelled' } | { go: false; error: string };

export async function askByForm(preview: Preview, call: AskChannel): Promise<PersonAnswer> {
  let outcome: ConfirmOutcome;
  try {
    outcome = await call.form(previewText(preview));
  } catch (error) {
    return { go: false, error: FORM_FAILED((error as Error).message) };
  }
  if (outcome === 'accept') return { go: true, by: 'form' };
  return { go: false, status: outcome === 'decline' ? 'declined' : 'cancelled' };
}

/** The approval page, offered as a link by the client (url) or opened in the browser by the server (page). */
export async function askOnPage(how: 'url' | 'page', preview: Preview, call: AskChannel, settings: PersonSettings, context: ApprovalContext): Promise<PersonAnswer> {
  const { approvals } = settings.pages;
  let approval: PendingApproval;
  try {
    approval = await approvals.create(preview, settings.timeoutMs, context);
  } catch (error) {
    return { go: false, error: NOTHING_DONE((error as Error).message) };
  }
  let url: string;
  try {
    url = await settings.pages.urlFor(approval.id);
  } catch (error) {
    void approvals.cancel(approval.id);
    return { go: false, error: PAGE_FAILED((error as Error).message) };
  }
  settings.shown?.(url, approval.expiresAt);
  let declinedLink: ConfirmOutcome | undefined;
  // Its own id: the approval id is the page's secret and must not travel in notifications.
  const elicitationId = globalThis.crypto.randomUUID();
  if (how === 'url') {
    // The client's answer only says whether the person opened the link; the decision is made on the page.
    call
      .url(LINK_OFFER(preview.title, preview.facts), url, elicitationId)
      .then((answer) => {
        if (answer !== 'accept') {
          declinedLink = answer;
          void approvals.cancel(approval.id);
        }
      })
      .catch(() => void approvals.cancel(approval.id));
  } else {
    const opened = await settings.openUrl(url);
    if (!opened.ok) {
      void approvals.cancel(approval.id);
      return { go: false, error: BROWSER_FAILED(opened.reason) };
    }
  }

  const { state: outcome, by, reason } = await waitForDecision(approval, call, settings);
  if (how === 'url') await call.urlComplete(elicitationId).catch(() => undefined);
  switch (outcome) {
    case 'approved':
      return { go: true, by: how, approvedBy: by };
    case 'denied':
      return { go: false, status: 'declined' };
    case 'cancelled':
      if (reason) return { go: false, error: reason === 'lost' ? APPROVAL_LOST(settings.pages.approvals.lostAt) : reason === 'withdrawn' ? APPROVAL_WITHDRAWN : APPROVAL_UNREACHABLE(settings.pages.approvals.outageBudgetMs) };
      return { go: false, status: declinedLink === 'decline' ? 'declined' : 'cancelled' };
    case 'expired':
      return { go: false, error: NO_DECISION(settings.timeoutMs) };
  }
}

/** Waits for the page's decision, with progress notifications; a cancelled tool call withdraws the approval. */
async function waitForDecision(approval: PendingApproval, call: AskChannel, settings: PersonSettings) {
  const onAbort = () => void settings.pages.approvals.cancel(approval.id);
  if (call.signal?.aborted) onAbort();
  call.signal?.addEventListener('abort', onAbort, { once: true });
  const stopReporting = reportWhileWaiting(call, approval.preview.title, 'in the browser', settings);
  try {
    return await approval.settled;
  } finally {
    stopReporting();
    call.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Progress notifications while a person decides (when the request asked for them), so a client that resets its
 * timeout on progress waits as long as the person may take. Returns what stops them.
 */
export function reportWhileWaiting(call: AskChannel, title: string, where: string, settings: Pick<PersonSettings, 'progressEveryMs' | 'timeoutMs'>): () => void {
  if (!call.progress) return () => undefined;
  const started = Date.now();
  const ticker = setInterval(() => {
    const waited = Math.round((Date.now() - started) / 1000);
    call.progress!(waited, WAITING(title, where, waited, settings.timeoutMs));
  }, settings.progressEveryMs);
  return () => clearInterval(ticker);
}
