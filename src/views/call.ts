// The call card: one call from ringing to its end (result, reason, duration). Polls app_call every 2 s
// until the call has ended.

import { el, fill, tell } from './dom.js';
import { duration } from './format.js';
import type { Host } from './host.js';
import type { Call, Server } from './server.js';

const POLL_MS = 2_000;
const STATES: Record<Call['state'], string> = { ringing: 'Ringing…', answered: 'Answered', ended: 'Ended' };

export function showCall(host: Host, server: Server, root: HTMLElement, callId: string): void {
  const title = el('h1', {}, 'Call');
  const state = el('p', { class: 'call-state' }, 'Loading the call…');
  const facts = el('dl', { class: 'call-facts' });
  const status = el('p', { class: 'status', role: 'status' });
  root.append(el('section', { class: 'card' }, title, state, facts, status));

  const show = (call: Call) => {
    title.textContent = `Call to ${call.label ?? call.to ?? call.callId}`;
    state.className = `call-state state-${call.state}`;
    fill(state, el('span', { class: 'dot', 'aria-hidden': 'true' }), STATES[call.state] ?? call.state);
    fill(
      facts,
      ...fact('Result', call.result),
      ...fact('Reason', call.reason),
      ...fact('Duration', call.state === 'ringing' ? undefined : duration(call.durationSeconds)),
      ...fact('To', call.label && call.to),
      ...fact('Call id', call.callId, true),
    );
  };

  host.lifetime.poll(POLL_MS, async () => {
    try {
      const call = await server.callState(callId);
      tell(status, 'neutral', '');
      show(call);
      return call.state !== 'ended';
    } catch (error) {
      tell(status, 'danger', `Could not read the call: ${(error as Error).message}`);
      return true;
    }
  });
}

function fact(term: string, value: string | undefined, code = false): HTMLElement[] {
  return value ? [el('dt', {}, term), el('dd', {}, code ? el('code', {}, value) : value)] : [];
}
