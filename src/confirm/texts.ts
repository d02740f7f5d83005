// What the model, the person and the operator are told about confirmation, route by route. Kept together so
// the instructions, the prompts, the refusals and --print-config cannot describe different flows.
import type { ConfirmationMode } from '../kinds/confirmation.js';

export const FORM_MISSING =
  'SINCH_CONFIRMATION_MODE=form, but this client has no form elicitation (dialog), so nobody can confirm here. Nothing was done. Use a client with MCP elicitation, or another confirmation mode (auto or page).';

export const APP_MISSING =
  'SINCH_CONFIRMATION_MODE=app, but this client does not show in-chat views (MCP Apps), so nobody can approve here. Nothing was done. Use a client that renders MCP Apps (Claude Desktop, claude.ai, VS Code), or another confirmation mode (auto or page).';

export const STRAY_TOKEN =
  'confirmationToken is refused: this client can show a person the approval link itself, so the model does not relay approvals here. Nothing was done. ' +
  'Call the tool again without confirmationToken; a person then approves or denies it directly.';

export const BROWSER_FAILED = (reason: string) =>
  `This action needs a person's approval, but the approval page could not be opened in a browser (${reason}). Nothing was done. ` +
  'Ways out: use a client with MCP elicitation (Claude Code, VS Code, Cursor); set BROWSER to a program that opens URLs; ' +
  'or have the operator set SINCH_CONFIRMATION_MODE=token (the model then relays a confirmation token, which does not prove a person agreed).';

export const PAGE_FAILED = (reason: string) => `Could not start the approval page (${reason}; SINCH_APPROVAL_PORT). Nothing was done.`;

export const FORM_FAILED = (reason: string) => `Could not get the user’s confirmation (${reason}). Nothing was done.`;

export const NO_DECISION = (timeoutMs: number) =>
  `No decision on the approval page within ${Math.round(timeoutMs / 1000)} s (SINCH_CONFIRM_TIMEOUT_MS). Nothing was done; ask again if it is still wanted.`;

export const NO_DECISION_IN_CARD = (timeoutMs: number) =>
  `No decision in the approval card within ${Math.round(timeoutMs / 1000)} s (SINCH_CONFIRM_TIMEOUT_MS). Nothing was done; ask again if it is still wanted.`;

export const NOTHING_DONE = (reason: string) => `${reason} Nothing was done.`;

/** Too many actions wait for a person already (pending-caps.ts); NOTHING_DONE follows. */
export const PENDING_CAP = (scope: 'caller' | 'instance', limit: number) =>
  (scope === 'caller' ? `Refused: ${limit} of your actions already wait for a person's decision (at most ${limit} per caller).` : `Refused: ${limit} actions already wait for a person's decision on this server (at most ${limit} per instance).`) +
  ' Have the waiting ones approved or denied, or let them expire (SINCH_CONFIRM_TIMEOUT_MS), then call again.';

/** Link route: approved, but the model came back after the deadline the page showed. */
export const APPROVAL_TOO_LATE = (expiresAt: number) =>
  `That approval was given, but its deadline (${new Date(expiresAt).toISOString()}, shown on the approval page) has passed. Nothing was done; call again without confirmationToken to get a new approval link.`;

/** The waiting call's approval vanished from the shared state (or, for the link flow, is no longer there). */
export const APPROVAL_LOST = (lostAt?: number) =>
  `The approval was lost: the shared state (Redis) no longer holds it${lostAt === undefined ? ' (it restarted without persistence, or the approval expired long ago)' : `, because Redis came back without its data at ${new Date(lostAt).toISOString()} (restarted without persistence)`}. ` +
  'Nothing was done. Call again without confirmationToken to get a new approval; the operator should give Redis persistence (appendonly yes, see the README).';

/** The shared state stayed unreachable while the call waited for a person. */
export const APPROVAL_UNREACHABLE = (budgetMs: number) =>
  `The shared state (Redis) was unreachable for ${Math.round(budgetMs / 1000)} s while this call waited for a person's decision, so a decision could not be read. Nothing was done; ask again once Redis is back (see the server's log).`;

/** The page stopped waiting for this call to take the approval, and told the person it did not run. */
export const APPROVAL_WITHDRAWN =
  'The approval came too late for this call to take it up (the shared state was slow or unreachable), and the approval page told the person it was not carried out. Nothing was done; ask again if it is still wanted.';

/** The one line a URL elicitation shows beside the link. */
export const LINK_OFFER = (title: string, facts: string[]) => `${title}: approve or deny on the page this link opens. ${facts.join(' ')}`;

export const WAITING = (title: string, where: string, waitedS: number, timeoutMs: number) =>
  `Waiting for a person to approve or deny "${title}" ${where} (${waitedS} s of ${Math.round(timeoutMs / 1000)} s).`;

/** Token route: what the model must show the user before it may pass the token back. */
export const TOKEN_HEADLINE = (tool: string, preview: string, token: string) =>
  `CONFIRMATION REQUIRED, nothing was done yet. (Token mode: the assistant relays this token; it does not prove a person agreed.) ` +
  `Show the user exactly this and ask:\n${preview}\n` +
  `Only if the user agrees, call ${tool} again with the same arguments plus confirmationToken "${token}" (single use, expires in 2 minutes).`;

/** Link route: the page a person must open, and the reference to call again with once they approved. */
export const LINK_HEADLINE = (tool: string, preview: string, url: string, reference: string) =>
  `APPROVAL REQUIRED, nothing was done yet. A person allowed to approve this must open ${url}, sign in with their own access token and decide; you cannot approve it. ` +
  `Show the user this link and the preview below. Once they approved, call ${tool} again with the same arguments plus confirmationToken "${reference}".\n${preview}`;

/** App route, when the host shows the card only after the call returns: a person decides there, later. */
export const CARD_HEADLINE = (preview: string) =>
  'APPROVAL REQUIRED, nothing was done yet. A person approves or denies this in the approval card shown in the chat; you cannot approve it. ' +
  `Do not call again (that would ask again): the outcome is reported in this conversation once they decide.\n${preview}`;

/** A person said no (or closed the dialog): nothing was sent. */
export const NOT_CONFIRMED = (status: 'declined' | 'cancelled', preview: string, byLink: boolean) =>
  byLink ? `A person declined: nothing was done.\n${preview}` : `The user ${status}: nothing was done.\n${preview}`;

const GUARDED = 'Hang-ups, kicks, callouts, recordings and configuration changes';

/** The server instructions' sentence on confirmations, for these settings. */
export function confirmationInstruction(settings: { mode: ConfirmationMode; skip: boolean }, modelCarriesTokens: boolean): string {
  if (settings.skip) return `WARNING: confirmations are disabled (SINCH_DANGEROUSLY_SKIP_CONFIRMATION); ${GUARDED.toLowerCase()} run immediately.`;
  if (settings.mode === 'token') {
    return `${GUARDED} answer confirmation_required with a preview and a confirmationToken: show the preview to the user and call again with the token only if they agree. (Token mode: this does not prove a person agreed.)`;
  }
  if (modelCarriesTokens) {
    return `${GUARDED} need a person: the client shows a dialog or a link to the approval page; in a client that can do neither, the tool answers confirmation_required with a link that a person must open, sign in to and approve, and you call again with the confirmationToken only after they did. You cannot approve them yourself.`;
  }
  return `${GUARDED} wait for a person to approve them in a dialog or on an approval page in their browser; the call returns once they decide. You cannot approve them yourself.`;
}

/** The moderation prompt's clause on what happens after the user said yes to a removal. */
export function removalClause(modelCarriesTokens: boolean): string {
  return modelCarriesTokens
    ? 'the tool; if it answers confirmation_required, show me its preview and only pass the confirmationToken after I agree. '
    : 'the tool; the server then asks me to approve it once more, in a dialog or on an approval page. ';
}

const OPERATOR_STEPS: Record<ConfirmationMode, string> = {
  auto: "the client's form dialog, else the approval card in the chat (MCP Apps), else URL elicitation, else an approval page opened in the person's browser",
  form: "always the client's form dialog",
  app: 'always the approval card in the chat (MCP Apps); refused in clients that show no views',
  page: 'always the local approval page (opened in the browser)',
  token: 'the model relays a single-use token: this does NOT prove a person agreed',
};

// Remote mode (route.ts): no dialog or card unless forced to `form` (whoever holds the client's token could
// accept it), and no browser to open: a person signs in on the approval page, offered by URL elicitation or
// relayed by the model as a link.
const REMOTE_PAGE =
  "URL elicitation to the approval page on this service (the approver signs in), else the tool answers confirmation_required with that link for the model to relay and is called again with its reference once approved";
const REMOTE_STEPS: Record<ConfirmationMode, string> = {
  auto: REMOTE_PAGE,
  page: REMOTE_PAGE,
  app: `${REMOTE_PAGE}; refused in clients that show no views`,
  form: "always the client's form dialog (forced: whoever holds the client's token can accept it)",
  token: OPERATOR_STEPS.token,
};

/** --print-config: the confirmation steps, for an operator. */
export function describeForOperator(settings: { mode: ConfirmationMode; remote: boolean; skip: boolean; timeoutMs: number }): string {
  if (settings.skip) return 'DISABLED (SINCH_DANGEROUSLY_SKIP_CONFIRMATION)';
  const steps = (settings.remote ? REMOTE_STEPS : OPERATOR_STEPS)[settings.mode];
  return `${settings.mode}: ${steps}; a person has ${settings.timeoutMs} ms to answer`;
}
