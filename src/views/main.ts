/// <reference lib="dom" />
// One script for the three views; the document's <html data-view="approval|conference|call"> picks the screen.
// A callout's view starts with the approval card and, once the action is done, moves on to the console or
// the call card; get_conference and get_call_result need no approval and start there.

import { runApproval, outcomeText } from './approval.js';
import { showCall } from './call.js';
import { showConference } from './conference.js';
import { el, fill } from './dom.js';
import { type Host, connectToHost } from './host.js';
import type { Params } from './rpc.js';
import { type ActionResult, Server } from './server.js';

/** Read tools: nothing to approve, the view shows its screen at once. */
const NO_APPROVAL = new Set(['get_conference', 'get_call_result']);

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let host: Host;
  try {
    host = await connectToHost();
  } catch (error) {
    fill(root, el('p', { class: 'status danger' }, `This view runs inside a chat that shows MCP Apps (${(error as Error).message}).`));
    return;
  }
  const server = new Server(host);
  const view = document.documentElement.dataset.view;
  if (view === 'approval') return void runApproval(host, server, root);

  const args = await host.call.input;
  const direct = host.call.name ? NO_APPROVAL.has(host.call.name) : args !== undefined && args.destination === undefined;
  let done: ActionResult | undefined;
  if (!direct) {
    done = await runApproval(host, server, root);
    fill(root, el('p', { class: 'status success banner' }, ...outcomeText(done)));
  }
  if (view === 'conference') {
    const conferenceId = text(args?.conferenceId) ?? text(done?.result?.conferenceId);
    if (conferenceId) showConference(host, server, root, conferenceId);
    else root.append(el('p', { class: 'status danger' }, 'No conference id in the tool call.'));
  } else if (view === 'call') {
    const callId = direct ? text(args?.callId) : text(done?.result?.callId);
    if (callId) showCall(host, server, root, callId);
    else root.append(el('p', { class: 'status danger' }, 'No call id in the tool call.'));
  }
}

function text(value: Params[string]): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

void main();
