// Asking a person, never the model: the client's form dialog, a URL elicitation pointing at the approval
// page, or the approval page opened in the browser by the server itself. The page URL goes only to the
// client's UI or the browser: never into a tool result, a log line or a notification the model can read.
import type { Config } from '../config/config.js';
import type { ConfirmationMode, ConfirmedBy } from '../kinds/confirmation.js';
import type { ApprovalContext, Approvals, PendingApproval } from './approvals.js';
import type { OpenUrl } from './browser.js';
import { type Preview, previewText } from './preview.js';

export type ConfirmOutcome = 'accept' | 'decline' | 'cancel';

/** What the MCP edge offers for one tool call; absent members mean the client cannot do that. */
export interface AskChannel {
  signal?: AbortSignal;
  /** Form elicitation; rejects when asking failed or timed out. */
  form?: (message: string) => Promise<ConfirmOutcome>;
  /** URL elicitation: the client offers the person a link; resolves with their answer to opening it. */
  url?: (message: string, url: string, elicitationId: string) => Promise<ConfirmOutcome>;
  /** notifications/elicitation/complete for a URL elicitation. */
  urlComplete?: (elicitationId: string) => Promise<void>;
  /** A progress notification, when the request carried a progressToken. */
  progress?: (progress: number, message: string) => void;
  /** HTTP mode: the authenticated subject making this call. */
  caller?: string;
}

/** Where approval pages live: the pending approvals and the URL of each one's page. */
export interface ApprovalPages {
  approvals: Approvals;
  urlFor(id: string): Promise<string>;
}

export interface AskSettings {
  mode: ConfirmationMode;
  /** Remote mode: the server cannot open a browser; without a dialog or link support the model relays a link. */
  remote?: boolean;
  timeoutMs: number;
  pages: ApprovalPages;
  openUrl: OpenUrl;
}

export type AskResult = { go: true; by: ConfirmedBy; approvedBy?: string } | { go: false; status: 'declined' | 'cancelled' } | { go: false; error: string };

const PROGRESS_EVERY_MS = 5_000;

/** How the person is asked in this client, or why they cannot be (then nothing is sent). Token mode is not handled here. */
export function channelFor(mode: ConfirmationMode, call: AskChannel, remote = false): 'form' | 'url' | 'page' | { error: string } {
  if (mode === 'form') {
    return call.form ? 'form' : { error: 'SINCH_CONFIRMATION_MODE=form, but this client has no form elicitation (dialog), so nobody can confirm here. Nothing was done. Use a client with MCP elicitation, or another confirmation mode (auto or page).' };
  }
  // Remote mode: a dialog's "accept" comes from whatever client holds the token, so a person signs in on the
  // approval page instead (offered as a link by URL elicitation, or relayed); the form only when forced.
  if (remote) return call.url ? 'url' : 'page';
  if (mode === 'page') return 'page';
  return call.form ? 'form' : call.url ? 'url' : 'page';
}

/**
 * Whether the model ever carries a confirmation token back: in token mode, and in remote mode, where a client
 * without URL elicitation relays an approval link and then calls again with its reference. Anywhere else a
 * person answers the server directly, so tools do not offer the field at all.
 */
export function modelCarriesTokens(config: Pick<Config, 'confirmationMode' | 'http' | 'skipConfirmation'>): boolean {
  if (config.skipConfirmation) return false;
  return config.confirmationMode === 'token' || (config.http !== undefined && config.confirmationMode !== 'form');
}

export async function askPerson(preview: Preview, call: AskChannel, settings: AskSettings, context: ApprovalContext = {}): Promise<AskResult> {
  const channel = channelFor(settings.mode, call, settings.remote);
  if (typeof channel !== 'string') return { go: false, error: channel.error };
  if (channel === 'form') return askByForm(preview, call);

  let approval: PendingApproval;
  try {
    approval = await settings.pages.approvals.create(preview, settings.timeoutMs, context);
  } catch (error) {
    return { go: false, error: `${(error as Error).message} Nothing was done.` };
  }
  let url: string;
  try {
    url = await settings.pages.urlFor(approval.id);
  } catch (error) {
    void settings.pages.approvals.cancel(approval.id);
    return { go: false, error: `Could not start the approval page (${(error as Error).message}; SINCH_APPROVAL_PORT). Nothing was done.` };
  }
  let declinedLink: ConfirmOutcome | undefined;
  // Its own id: the approval id is the page's secret and must not travel in notifications.
  const elicitationId = globalThis.crypto.randomUUID();
  if (channel === 'url') {
    // The client's answer only says whether the person opened the link; the decision is made on the page.
    call
      .url!(`${preview.title}: approve or deny on the page this link opens. ${preview.facts.join(' ')}`, url, elicitationId)
      .then((answer) => {
        if (answer !== 'accept') {
          declinedLink = answer;
          void settings.pages.approvals.cancel(approval.id);
        }
      })
      .catch(() => void settings.pages.approvals.cancel(approval.id));
  } else {
    const opened = await settings.openUrl(url);
    if (!opened.ok) {
      void settings.pages.approvals.cancel(approval.id);
      return {
        go: false,
        error:
          `This action needs a person's approval, but the approval page could not be opened in a browser (${opened.reason}). Nothing was done. ` +
          'Ways out: use a client with MCP elicitation (Claude Code, VS Code, Cursor); set BROWSER to a program that opens URLs; ' +
          'or have the operator set SINCH_CONFIRMATION_MODE=token (the model then relays a confirmation token, which does not prove a person agreed).',
      };
    }
  }

  const { state: outcome, by } = await waitForDecision(approval, call, settings);
  if (channel === 'url') await call.urlComplete?.(elicitationId).catch(() => undefined);
  switch (outcome) {
    case 'approved':
      return { go: true, by: channel, approvedBy: by };
    case 'denied':
      return { go: false, status: 'declined' };
    case 'cancelled':
      return { go: false, status: declinedLink === 'decline' ? 'declined' : 'cancelled' };
    case 'expired':
      return { go: false, error: `No decision on the approval page within ${Math.round(settings.timeoutMs / 1000)} s (SINCH_CONFIRM_TIMEOUT_MS). Nothing was done; ask again if it is still wanted.` };
  }
}

async function askByForm(preview: Preview, call: AskChannel): Promise<AskResult> {
  let outcome: ConfirmOutcome;
  try {
    outcome = await call.form!(previewText(preview));
  } catch (error) {
    return { go: false, error: `Could not get the user’s confirmation (${(error as Error).message}). Nothing was done.` };
  }
  if (outcome === 'accept') return { go: true, by: 'form' };
  return { go: false, status: outcome === 'decline' ? 'declined' : 'cancelled' };
}

/** Waits for the page's decision, with progress notifications; a cancelled tool call withdraws the approval. */
async function waitForDecision(approval: PendingApproval, call: AskChannel, settings: AskSettings) {
  const started = Date.now();
  const onAbort = () => void settings.pages.approvals.cancel(approval.id);
  if (call.signal?.aborted) onAbort();
  call.signal?.addEventListener('abort', onAbort, { once: true });
  const ticker = call.progress
    ? setInterval(() => {
        const waited = Math.round((Date.now() - started) / 1000);
        call.progress!(waited, `Waiting for a person to approve or deny "${approval.preview.title}" in the browser (${waited} s of ${Math.round(settings.timeoutMs / 1000)} s).`);
      }, PROGRESS_EVERY_MS)
    : undefined;
  try {
    return await approval.settled;
  } finally {
    clearInterval(ticker);
    call.signal?.removeEventListener('abort', onAbort);
  }
}
