// The approval card: what the guarded action will do (facts first, then every field), Deny and Approve, and
// what came of it. Works whether the host shows it while the tool call waits (the decision goes to that call,
// whose result then arrives here) or only after the call returned confirmation_required (app_decide sends
// the action itself and the card tells the model). See docs/views.md.

import { type Child, type Tone, button, el, fill, tell } from './dom.js';
import { clock } from './format.js';
import { type CallEnd, type Host, asRecord } from './host.js';
import { type ActionResult, type Approval, type Decision, type Server, firstLine } from './server.js';

/**
 * A host that shows the view after the call returned sends its arguments and its result back to back: the
 * result gets this long to land, so a call that is already over is shown as such without asking the server.
 */
const RESULT_GRACE_MS = 200;
// Asked often at first: a call waits only a few seconds for its card to open before it leaves the card to act.
const OPEN_ATTEMPTS = 20;
const OPEN_RETRY_MS = 250;

const STATUS_WORDS: Record<string, string> = { done: 'Done.', declined: 'Declined.', cancelled: 'Cancelled.', error: 'Failed.' };

/** What the card says when app_decide did not send anything itself (the waiting call, if any, will answer). */
const DECISION_TEXTS: Record<Decision['outcome'], string> = {
  approved: 'Approved. The action is being sent; its result shows here.',
  denied: 'Denied. Nothing was done.',
  expired: 'This approval expired before a decision. Nothing was done.',
  decided: 'Someone decided on this approval first. Nothing more will happen from here.',
  refused: 'The server refused this decision.',
};

const STATE_TEXTS: Record<Exclude<Approval['state'], 'pending'>, string> = {
  approved: 'Approved. Waiting for the result.',
  denied: 'Denied. Nothing was done.',
  expired: 'This approval expired before a decision. Nothing was done.',
  cancelled: 'The assistant cancelled this request. Nothing was done.',
};

/**
 * Shows the card in `root`. Resolves with the action's result once it is done (the next screen may follow);
 * stays pending when it was not done (denied, expired, failed): the card then says so and is the last screen.
 */
export function runApproval(host: Host, server: Server, root: HTMLElement): Promise<ActionResult> {
  return new Promise((resolveDone) => {
    const details = el('div');
    const actions = el('div', { class: 'actions' });
    const status = el('p', { class: 'status', role: 'status' }, 'Opening the approval…');
    fill(root, el('section', { class: 'card' }, details, status, actions));

    let finished = false; // a final outcome is shown: nothing replaces it
    let callReturned = false; // the tool call has returned, so its own result will not carry the decision

    const say = (tone: Tone, ...text: Child[]) => {
      if (finished) return;
      tell(status, tone, ...text);
    };
    const finish = (result: ActionResult) => {
      if (finished) return;
      say(result.status === 'done' ? 'success' : result.status === 'declined' || result.status === 'cancelled' ? 'neutral' : 'danger', ...outcomeText(result));
      finished = true;
      actions.remove();
      if (result.status === 'done') resolveDone(result);
    };

    let asking = false; // app_approval is being asked
    let opened = false; // an approval is on the card

    const open = async () => {
      if (asking || opened) return;
      asking = true;
      const args = await host.call.input;
      await pause(host, RESULT_GRACE_MS);
      // The host may show the view before its tool call has reached the server: ask again for a few seconds.
      for (let attempt = 1; !finished; attempt++) {
        let found: Awaited<ReturnType<Server['approval']>>;
        try {
          found = await server.approval({ requestId: host.call.requestId, tool: host.call.name, arguments: args });
        } catch (error) {
          asking = false;
          return say('danger', `Could not open the approval: ${(error as Error).message}`);
        }
        if (found.found) {
          opened = true;
          return show(found.approval);
        }
        if (attempt === OPEN_ATTEMPTS) break;
        await pause(host, OPEN_RETRY_MS);
      }
      asking = false;
      fill(details, el('p', { class: 'lead' }, 'Nothing is waiting for approval here.'));
      say('neutral', 'If the assistant asked for something, its answer shows here.');
    };

    const show = (approval: Approval) => {
      fill(details, ...describe(approval));
      if (finished) return;
      if (approval.state !== 'pending') return say(approval.state === 'approved' ? 'success' : 'neutral', STATE_TEXTS[approval.state]);
      if (approval.remote) return offerPage(approval.remote.url, approval.expiresAt);
      offerDecision(approval);
    };

    const offerDecision = (approval: Approval) => {
      const decide = async (decision: 'approve' | 'deny') => {
        deny.disabled = approve.disabled = true;
        say('neutral', decision === 'approve' ? 'Approving…' : 'Denying…');
        let answer: Decision;
        try {
          answer = await server.decide(approval, decision);
        } catch (error) {
          deny.disabled = approve.disabled = false;
          return say('danger', `Your decision did not reach the server: ${(error as Error).message}`);
        }
        actions.remove();
        stopExpiry();
        if (answer.delivered === 'performed' && answer.toolResult) finish(answer.toolResult);
        else say(answer.outcome === 'approved' ? 'success' : answer.outcome === 'refused' ? 'danger' : 'neutral', DECISION_TEXTS[answer.outcome], answer.outcome === 'refused' ? ` ${answer.message}` : '');
        // When the call has returned already, the model learns the outcome from the view or not at all.
        if (answer.delivered === 'performed' || (answer.delivered === 'none' && callReturned)) {
          if (!(await tellModel(host, answer.message))) status.after(el('p', { class: 'note' }, 'The assistant could not be told; tell it yourself what happened.'));
        }
      };
      const deny = button('Deny', () => void decide('deny'));
      const approve = button('Approve', () => void decide('approve'), 'approve');
      fill(actions, deny, approve);
      say('neutral', `Decide before ${clock(approval.expiresAt, host.context)}. Nothing is sent until you approve.`);
      const stopExpiry = host.lifetime.after(untilTime(approval.expiresAt), () => {
        actions.remove();
        say('neutral', STATE_TEXTS.expired);
      });
      // Deny is the default: a stray Enter or Space never approves.
      deny.focus({ preventScroll: true });
    };

    // Remote mode: signed-in approvers decide on the approval page; the card only leads there.
    const offerPage = (url: string, expiresAt: string) => {
      const openPage = async () => {
        try {
          await host.rpc.request('ui/open-link', { url });
          say('neutral', 'The approval page is open: sign in and decide there. The result shows here.');
        } catch (error) {
          say('danger', `The host did not open the page (${(error as Error).message}). Its address: `, el('code', {}, url));
        }
      };
      fill(actions, button('Open the approval page', () => void openPage()));
      say('neutral', `On this server, approvals are made on its approval page, by a signed-in approver, before ${clock(expiresAt, host.context)}.`);
    };

    host.call.end.watch((end) => {
      const result = actionResultOf(end);
      if (!result) return;
      callReturned = true;
      // The call returned without a decision (no view had opened its approval in time): open it now, if not yet.
      if (result.status === 'confirmation_required') void open();
      else finish(result);
    });
    void open();
  });
}

/** The preview as the approval page shows it: server facts first, then the summary, the request and every field. */
function describe(approval: Approval): Child[] {
  const rows = approval.rows.map((row) =>
    el('tr', {}, el('th', { scope: 'row' }, row.label), el('td', {}, el('code', {}, row.value), row.note && el('div', { class: 'note' }, row.note))),
  );
  return [
    el('p', { class: 'brand' }, 'Sinch Calling MCP · approval requested by your AI assistant'),
    el('h1', {}, approval.title),
    el('ul', { class: 'facts', 'aria-label': 'Facts from the server' }, ...approval.facts.map((fact) => el('li', {}, fact))),
    el('p', { class: 'summary' }, approval.summary),
    el('p', { class: 'request' }, 'Request: ', el('code', {}, approval.request)),
    rows.length > 0 &&
      el('table', {}, el('caption', {}, 'Every field that will be sent (text from the assistant is shown in quotes)'), el('tbody', {}, ...rows)),
  ];
}

/** What the tool call's end says, as an action result; undefined when it says nothing this card can show. */
function actionResultOf(end: CallEnd): ActionResult | undefined {
  if ('cancelled' in end) return { status: 'cancelled', summary: end.cancelled || 'The tool call was cancelled. Nothing was done.' };
  if (end.result.isError) return { status: 'error', summary: firstLine(end.result) };
  const structured = asRecord(end.result.structuredContent);
  const status = structured?.status;
  return typeof status === 'string' ? { status, summary: firstLine(end.result), result: asRecord(structured?.result) } : undefined;
}

export function outcomeText(result: ActionResult): Child[] {
  return [el('strong', {}, STATUS_WORDS[result.status] ?? `${result.status}.`), ' ', result.summary];
}

/** Tells the model what the person decided: as context for its next turn, or else as a chat message. */
async function tellModel(host: Host, message: string): Promise<boolean> {
  const content = [{ type: 'text', text: message }];
  try {
    await host.rpc.request('ui/update-model-context', { content });
    return true;
  } catch {
    try {
      await host.rpc.request('ui/message', { role: 'user', content });
      return true;
    } catch {
      return false;
    }
  }
}

function pause(host: Host, ms: number): Promise<void> {
  // Never resolves once the view is torn down: what waited has nothing left to do.
  return new Promise((resolve) => host.lifetime.after(ms, resolve));
}

function untilTime(iso: string): number {
  const ms = new Date(iso).getTime() - Date.now();
  // setTimeout's limit is about 24.8 days; an unreadable time means "never" here, the server still decides.
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 2 ** 31 - 1) : 2 ** 31 - 1;
}
