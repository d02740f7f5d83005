// The conference console: who is in the room (in join order) with their state, a button per action, an
// inline confirm before anyone is removed, "mute everyone but…", and a short log of joins and leaves.
// It polls app_conference every 2 s while the view lives.

import { type Child, button, el, fill, tell } from './dom.js';
import { clock } from './format.js';
import type { Host } from './host.js';
import type { Moderation, Participant, Room, Server } from './server.js';

const POLL_MS = 2_000;
const LOG_LINES = 8;

export function showConference(host: Host, server: Server, root: HTMLElement, conferenceId: string): void {
  const rows = new Map<string, ParticipantRow>();
  const list = el('ol', { class: 'participants', 'aria-label': 'Participants in join order' });
  const empty = el('p', { class: 'lead' }, 'Loading the room…');
  const status = el('p', { class: 'status', role: 'status' });
  const log = el('ol', { class: 'log', 'aria-label': 'Joins and leaves', 'aria-live': 'polite' });
  const updated = el('span', {}, 'Live');
  const others: MuteOthers = new MuteOthers((keep) => moderate('mute_all_except', [keep], others.message));

  root.append(
    el(
      'section',
      { class: 'card' },
      el('h1', {}, 'Conference ', el('code', {}, conferenceId)),
      el('p', { class: 'live' }, el('span', { class: 'dot', 'aria-hidden': 'true' }), updated),
      status,
      empty,
      list,
      others.element,
      el('h2', {}, 'Joins and leaves'),
      log,
    ),
  );

  const moderate = async (action: Moderation, callIds: string[], message: HTMLElement) => {
    tell(message, 'neutral', 'Sending…');
    try {
      const answer = await server.moderate(conferenceId, action, callIds);
      tell(message, answer.ok ? 'neutral' : 'danger', answer.summary);
      void refresh();
    } catch (error) {
      tell(message, 'danger', (error as Error).message);
    }
  };

  let known: Map<string, Participant> | undefined;
  const noteChanges = (room: Room) => {
    const now = new Map(room.participants.map((p) => [p.callId, p]));
    if (known) {
      for (const p of room.participants) if (!known.has(p.callId)) addLogLine(`${clock(p.joinedAt ?? room.fetchedAt, host.context)} ${nameOf(p)} joined`);
      for (const [callId, p] of known) if (!now.has(callId)) addLogLine(`${clock(room.fetchedAt, host.context)} ${nameOf(p)} left`);
    }
    known = now;
  };
  const addLogLine = (line: string) => {
    log.prepend(el('li', {}, line));
    while (log.children.length > LOG_LINES) log.lastElementChild!.remove();
  };

  const show = (room: Room) => {
    noteChanges(room);
    const ordered = [...room.participants].sort((a, b) => a.order - b.order);
    for (const [callId, row] of rows) if (!ordered.some((p) => p.callId === callId)) (row.element.remove(), rows.delete(callId));
    ordered.forEach((p, index) => {
      let row = rows.get(p.callId);
      if (!row) rows.set(p.callId, (row = new ParticipantRow((action) => moderate(action, [p.callId], row!.message))));
      row.update(p, room.fetchedAt, host);
      // Moved only when out of place: moving a row takes the keyboard focus away from its buttons.
      if (list.children[index] !== row.element) list.insertBefore(row.element, list.children[index] ?? null);
    });
    empty.textContent = ordered.length ? '' : 'Nobody is in the room now.';
    empty.hidden = ordered.length > 0;
    others.update(ordered);
    updated.textContent = `Live · updated ${clock(room.fetchedAt, host.context)}`;
  };

  // Answers may arrive out of order (a refresh after a button beside the regular poll): only a newer one is shown.
  let asked = 0;
  let shown = 0;
  const refresh = async () => {
    const mine = ++asked;
    try {
      const room = await server.conference(conferenceId);
      if (mine < shown) return;
      shown = mine;
      tell(status, 'neutral', '');
      show(room);
    } catch (error) {
      tell(status, 'danger', `Could not refresh the room: ${(error as Error).message}`);
    }
  };
  host.lifetime.poll(POLL_MS, refresh);
}

class ParticipantRow {
  readonly message = el('p', { class: 'message', role: 'status' });
  private readonly order = el('span', { class: 'order' });
  private readonly name = el('span', { class: 'name' });
  private readonly number = el('span', { class: 'number' });
  private readonly badges = el('span', { class: 'badges' });
  private readonly joined = el('span');
  private readonly mute: HTMLButtonElement;
  private readonly hold: HTMLButtonElement;
  private readonly kick: HTMLButtonElement;
  private readonly confirm = el('div', { class: 'confirm', hidden: true });
  readonly element: HTMLLIElement;
  private participant?: Participant;

  constructor(act: (action: Moderation) => Promise<void>) {
    const run = (action: () => Moderation) => async () => {
      this.setBusy(true);
      await act(action());
      this.setBusy(false);
    };
    this.mute = button('Mute', run(() => (this.participant!.muted ? 'unmute' : 'mute')));
    this.hold = button('Hold', run(() => (this.participant!.onHold ? 'resume' : 'hold')));
    this.kick = button('Kick', () => this.askToRemove(), 'danger');
    const remove = button('Remove', () => {
      this.confirm.hidden = true;
      void run(() => 'kick')();
    }, 'danger');
    const keep = button('Keep', () => {
      this.confirm.hidden = true;
      this.kick.focus();
    });
    this.confirm.append(el('span', { class: 'question' }), remove, keep);
    this.element = el(
      'li',
      { class: 'participant' },
      el('div', { class: 'who' }, this.order, this.name, this.badges),
      el('div', { class: 'details' }, this.number, this.joined),
      el('div', { class: 'actions' }, this.mute, this.hold, this.kick),
      this.confirm,
      this.message,
    );
  }

  update(p: Participant, fetchedAt: string, host: Host): void {
    this.participant = p;
    this.order.textContent = String(p.order);
    this.name.textContent = p.label ?? '—';
    this.number.textContent = p.country ? `${p.cli} · ${p.country}` : p.cli;
    const joinedAt = p.joinedAt ?? new Date(new Date(fetchedAt).getTime() - p.durationSeconds * 1000).toISOString();
    this.joined.textContent = `joined ${clock(joinedAt, host.context)}`;
    fill(this.badges, p.muted && badge('Muted', 'badge-muted'), p.onHold && badge('On hold', 'badge-hold'));
    this.mute.textContent = p.muted ? 'Unmute' : 'Mute';
    this.hold.textContent = p.onHold ? 'Resume' : 'Hold';
    // Every row has the same buttons: their accessible names say whom they act on.
    for (const control of [this.mute, this.hold, this.kick]) control.setAttribute('aria-label', `${control.textContent} ${nameOf(p)}`);
    this.confirm.firstElementChild!.textContent = `Remove ${nameOf(p)} from the call?`;
  }

  private askToRemove(): void {
    this.confirm.hidden = false;
    // Keep is the default, as Deny is on the approval card.
    (this.confirm.lastElementChild as HTMLButtonElement).focus();
  }

  private setBusy(busy: boolean): void {
    for (const control of this.element.querySelectorAll('button')) control.disabled = busy;
  }
}

/** "Mute everyone but…": pick the one who keeps talking. */
class MuteOthers {
  readonly message = el('p', { class: 'message', role: 'status' });
  private readonly choice = el('select', { id: 'keep-talking' });
  private readonly go: HTMLButtonElement;
  private shown = '';
  readonly element: HTMLElement;

  constructor(muteAllBut: (callId: string) => Promise<void>) {
    this.go = button('Mute the others', async () => {
      this.go.disabled = true;
      await muteAllBut(this.choice.value);
      this.go.disabled = this.choice.options.length < 2;
    });
    this.element = el(
      'div',
      { class: 'mute-others' },
      el('label', { for: 'keep-talking' }, 'Mute everyone but'),
      el('div', { class: 'actions' }, this.choice, this.go),
      this.message,
    );
  }

  update(participants: Participant[]): void {
    const options = participants.map((p) => [p.callId, `${p.order} · ${nameOf(p)}`]);
    // Rebuilt only when someone came, left or was renamed: rebuilding closes a list the person has open.
    if (JSON.stringify(options) !== this.shown) {
      this.shown = JSON.stringify(options);
      const chosen = this.choice.value;
      fill(this.choice, ...options.map(([value, text]) => el('option', { value }, text)));
      if (participants.some((p) => p.callId === chosen)) this.choice.value = chosen;
    }
    this.go.disabled = participants.length < 2;
    this.element.hidden = participants.length === 0;
  }
}

function nameOf(p: Participant): string {
  return p.label ?? p.cli;
}

function badge(text: string, kind: string): Child {
  return el('span', { class: `badge ${kind}` }, text);
}
