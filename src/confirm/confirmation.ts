// The one entry to confirmation. A server process has one Confirmation (from compose); each MCP session asks it
// for a SessionConfirmation, whose route is fixed from the settings and what that session's client can do.
// confirmCall then obtains a person's yes for one guarded call along that route, or says why not.
import type { ConfirmedBy } from '../kinds/confirmation.js';
import type { ToolKind, Toolset } from '../kinds/tools.js';
import type { SinchRequest } from '../sinch/client.js';
import type { ApprovalContext, Approvals } from './approvals.js';
import type { OpenUrl } from './browser.js';
import type { AskChannel } from './channel.js';
import { approveByLink } from './link.js';
import type { ApprovalPages } from './pages.js';
import { askByForm, askOnPage, reportWhileWaiting } from './person.js';
import { type Preview, buildPreview, previewText } from './preview.js';
import { CardApprovals, CardLimitError, type PendingCard } from './cards.js';
import { PendingLimitError } from './pending-caps.js';
import { type ClientAbilities, type ConfirmSettings, type Route, modelCarriesTokens, routeFor, takesTokens } from './route.js';
import { CARD_HEADLINE, LINK_HEADLINE, NOTHING_DONE, NOT_CONFIRMED, NO_DECISION_IN_CARD, STRAY_TOKEN, TOKEN_HEADLINE } from './texts.js';
import { type ConfirmationTokens, TokenError, fingerprint } from './tokens.js';

/** One guarded call, planned and checked against the policy, before anything is sent. */
export interface PendingCall {
  tool: { name: string; title: string; kind: ToolKind; toolset: Toolset };
  /** Whether this call needs a person (a tool may guard only some of its calls, e.g. a hang-up). */
  guarded: boolean;
  /** Exactly what will be sent: the preview shows it, and tokens and approvals are bound to it. */
  request: SinchRequest;
  /** What the agent wrote for values the server rewrote, by their path in the body (shown beside them). */
  written?: Record<string, string>;
  /** Facts the tool established (e.g. whose app a key is), shown after the preview's own. */
  facts?: string[];
  /** The tool's one-sentence description of the action. */
  summary: string;
  sandbox: boolean;
  /** The confirmationToken the model passed back, if any. */
  token?: string;
  /** The arguments as the tool received them: the approval card matches its view's copy against them. */
  arguments: Record<string, unknown>;
  /** A matching recent write that may have happened (policy/repeats.ts): the person decides knowing it. */
  repeated?: string;
}

/**
 * go: send it (and audit who confirmed). Otherwise nothing is sent, and the answer says why: an error; a person
 * declined or cancelled; or confirmation_required, with what the model relays and calls again with.
 */
export type Confirmed =
  | { go: true; by: ConfirmedBy; approvedBy?: string }
  | { go: false; error: string }
  | { go: false; status: 'declined' | 'cancelled'; headline: string; preview: string }
  | {
      go: false;
      status: 'confirmation_required';
      headline: string;
      preview: string;
      expiresAt: Date;
      /** Token and link routes: what the model passes back as confirmationToken. */
      reference?: string;
      /** App route, the card not yet open: once a person approves there, the card performs the action with this. */
      handOver?: (perform: () => Promise<unknown>) => void;
    };

/** An approval page a call of this session waits on (remote mode), so its card can offer the link. */
export interface ShownPage {
  url: string;
  preview: Preview;
  expiresAt: number;
}

export interface ConfirmParts {
  tokens: ConfirmationTokens;
  pages: ApprovalPages;
  /** Opens the approval page in the person's browser. */
  openUrl: OpenUrl;
  /** How often a call waiting for the page reports progress. */
  progressEveryMs: number;
  /** How long a call waits for the host to show its approval card before it returns and leaves the card to act. */
  cardOpenMs: number;
  now: () => number;
}

export class Confirmation {
  /** Whether guarded tools offer confirmationToken (tools are listed before a session's client is known). */
  readonly modelCarriesTokens: boolean;

  constructor(
    readonly settings: ConfirmSettings,
    private readonly parts: ConfirmParts,
  ) {
    this.modelCarriesTokens = modelCarriesTokens(settings);
  }

  /** The actions waiting for a person, whose pages remote mode serves on its own port. */
  get approvals(): Approvals {
    return this.parts.pages.approvals;
  }

  forSession(client: ClientAbilities): SessionConfirmation {
    return new SessionConfirmation(routeFor(this.settings, client), this.settings, this.parts);
  }

  /** Shutting down: calls still waiting for a person end as cancelled, and the local page server stops. */
  close(): Promise<void> {
    this.parts.pages.approvals.close();
    return this.parts.pages.close();
  }
}

/** What a tool call asks of confirmation: the stray-token check first, then a person's yes when it needs one. */
export interface CallConfirmation {
  strayToken(token: string | undefined): string | undefined;
  confirmCall(call: PendingCall, ask: AskChannel): Promise<Confirmed>;
}

/**
 * For a call a view makes on a person's click (the console's remove, after its own confirm step): that click is
 * the person's decision. Only app-only tools use it, and they exist only in sessions whose client shows views.
 */
export const DECIDED_IN_VIEW: CallConfirmation = {
  strayToken: () => undefined,
  confirmCall: async (call) => ({ go: true, by: call.guarded ? 'app' : 'none' }),
};

export class SessionConfirmation implements CallConfirmation {
  /** This session's approval cards (MCP Apps); its views open and decide them through app-only tools. */
  readonly cards: CardApprovals;
  /** Remote mode: the approval pages this session's calls wait on, newest last, so a card can offer the link. */
  private readonly pages: ShownPage[] = [];

  constructor(
    readonly route: Route,
    private readonly settings: ConfirmSettings,
    private readonly parts: ConfirmParts,
  ) {
    this.cards = new CardApprovals(settings.timeoutMs, parts.now);
  }

  /** Remote mode: the newest approval page of this session still open, to offer from the card. */
  shownPage(): ShownPage | undefined {
    const now = this.parts.now();
    return [...this.pages].reverse().find((page) => page.expiresAt > now);
  }

  close(): void {
    this.cards.close();
  }

  /** A token passed where this session's route takes none: the refusal to answer with, before anything else. */
  strayToken(token: string | undefined): string | undefined {
    return token !== undefined && !takesTokens(this.route) ? STRAY_TOKEN : undefined;
  }

  async confirmCall(call: PendingCall, ask: AskChannel): Promise<Confirmed> {
    if (!call.guarded) return { go: true, by: 'none' };
    const route = this.route;
    if (route === 'skip') {
      // Nobody is asked, so nobody can decide that a possible repeat should go out: it does not.
      if (call.repeated) return { go: false, error: `Not sent: ${call.repeated} Confirmation is off (SINCH_DANGEROUSLY_SKIP_CONFIRMATION), so nobody can decide to repeat it; read the state first (get_call_result, get_conference).` };
      return { go: true, by: 'skipped' };
    }
    if (typeof route === 'object') return { go: false, error: route.refused };
    const preview = await buildPreview({
      title: call.tool.title,
      kind: call.tool.kind,
      summary: call.summary,
      request: call.request,
      written: call.written,
      facts: call.facts,
      sandbox: call.sandbox,
      repeated: call.repeated,
    });
    const text = previewText(preview);
    try {
      return await this.along(route, call, preview, text, ask);
    } catch (error) {
      // Every route that stores something for a person holds a place under the same caps first.
      if (error instanceof PendingLimitError) return { go: false, error: NOTHING_DONE(error.message) };
      throw error;
    }
  }

  private async along(route: Exclude<Route, 'skip' | { refused: string }>, call: PendingCall, preview: Preview, text: string, ask: AskChannel): Promise<Confirmed> {
    if (route === 'token') return this.byToken(call, text, ask.caller);
    if (route === 'app') return this.byCard(call, preview, text, ask);

    const context: ApprovalContext = { tool: { kind: call.tool.kind, toolset: call.tool.toolset }, requestedBy: ask.caller, requestedWith: ask.credential };
    if (route === 'link') {
      const binding = `${call.tool.name}|${fingerprint(call.request)}|${ask.caller ?? ''}`;
      const link = await approveByLink(preview, { pages: this.parts.pages, timeoutMs: this.settings.timeoutMs }, { ...context, binding }, call.token);
      if (link.go) return { go: true, by: 'page', approvedBy: link.approvedBy };
      if ('error' in link) return link;
      if ('status' in link) return { go: false, status: 'declined', headline: NOT_CONFIRMED('declined', text, true), preview: text };
      const { url, reference, expiresAt } = link.pending;
      this.remember({ url, preview, expiresAt });
      return { go: false, status: 'confirmation_required', headline: LINK_HEADLINE(call.tool.name, text, url, reference), preview: text, reference, expiresAt: new Date(expiresAt) };
    }

    const shown = (url: string, expiresAt: number) => this.remember({ url, preview, expiresAt });
    const answer = route === 'form' ? await askByForm(preview, ask) : await askOnPage(route, preview, ask, { ...this.parts, timeoutMs: this.settings.timeoutMs, shown }, context);
    if (answer.go || 'error' in answer) return answer;
    return { go: false, status: answer.status, headline: NOT_CONFIRMED(answer.status, text, false), preview: text };
  }

  /**
   * App route: the card shows in the chat. If the host shows it while this call runs (the view opens it within
   * cardOpenMs), the call waits for the decision and answers with the real outcome. Otherwise the call returns
   * now, and the card, shown with that answer, performs the action once a person approves.
   */
  private async byCard(call: PendingCall, preview: Preview, text: string, ask: AskChannel): Promise<Confirmed> {
    let card: PendingCard;
    try {
      card = this.cards.create({ preview, tool: call.tool.name, requestId: ask.requestId, arguments: call.arguments, caller: ask.caller });
    } catch (error) {
      if (error instanceof CardLimitError) return { go: false, error: NOTHING_DONE(error.message) };
      throw error;
    }
    if (!(await card.opened(this.parts.cardOpenMs, ask.signal)) && !ask.signal?.aborted) {
      return { go: false, status: 'confirmation_required', headline: CARD_HEADLINE(text), preview: text, expiresAt: new Date(card.expiresAt), handOver: card.handOver };
    }
    const stopReporting = reportWhileWaiting(ask, preview.title, 'in the approval card', { ...this.parts, timeoutMs: this.settings.timeoutMs });
    const state = await card.decision(ask.signal).finally(stopReporting);
    switch (state) {
      case 'approved':
        return { go: true, by: 'app' };
      case 'denied':
        return { go: false, status: 'declined', headline: NOT_CONFIRMED('declined', text, false), preview: text };
      case 'expired':
        return { go: false, error: NO_DECISION_IN_CARD(this.settings.timeoutMs) };
      default:
        return { go: false, status: 'cancelled', headline: NOT_CONFIRMED('cancelled', text, false), preview: text };
    }
  }

  private remember(page: ShownPage): void {
    this.pages.push(page);
    const now = this.parts.now();
    while (this.pages.length > 0 && (this.pages[0]!.expiresAt <= now || this.pages.length > 20)) this.pages.shift();
  }

  /** Token route: redeem the token the model passed back, or issue one with the preview (single use, short-lived). */
  private async byToken(call: PendingCall, text: string, caller: string | undefined): Promise<Confirmed> {
    const { tokens } = this.parts;
    if (call.token !== undefined) {
      try {
        await tokens.redeem(call.token, call.tool.name, call.request, caller);
      } catch (error) {
        if (error instanceof TokenError) return { go: false, error: error.message };
        throw error;
      }
      return { go: true, by: 'token' };
    }
    const { token, expiresAt } = await tokens.issue(call.tool.name, call.request, caller);
    return { go: false, status: 'confirmation_required', headline: TOKEN_HEADLINE(call.tool.name, text, token), preview: text, reference: token, expiresAt };
  }
}
