// Which way a guarded call reaches a person: decided here, once per session, from the operator's settings and
// what the client said it can do. Nothing else decides it; the rest of confirm/ follows the route.
import type { ConfirmationMode } from '../kinds/confirmation.js';
import { APP_MISSING, FORM_MISSING } from './texts.js';

export interface ConfirmSettings {
  mode: ConfirmationMode;
  /** Remote mode (HTTP): the server cannot open a browser, and approvers sign in on its own approval page. */
  remote: boolean;
  /** SINCH_DANGEROUSLY_SKIP_CONFIRMATION: guarded calls go ahead unasked. */
  skip: boolean;
  /** How long a person has to decide. */
  timeoutMs: number;
}

/** What the client declared in `initialize`: the kinds of elicitation it can show a person, and in-chat views. */
export interface ClientAbilities {
  form: boolean;
  url: boolean;
  /** The MCP Apps extension (io.modelcontextprotocol/ui) with HTML views. */
  views: boolean;
}

/**
 * skip: nobody is asked. token: the model relays a single-use token. form: the client's dialog. app: the
 * approval card, a view in the chat (MCP Apps). url: a URL elicitation that offers the approval page. page: the
 * server opens the approval page in the browser. link:
 * (remote, a client with neither) the model relays the page's link and calls again with its reference.
 * refused: nobody can confirm in this session, so guarded calls are refused with this reason.
 */
export type Route = 'skip' | 'token' | 'form' | 'app' | 'url' | 'page' | 'link' | { refused: string };

export function routeFor(settings: Pick<ConfirmSettings, 'mode' | 'remote' | 'skip'>, client: ClientAbilities): Route {
  if (settings.skip) return 'skip';
  if (settings.mode === 'token') return 'token';
  if (settings.mode === 'form') return client.form ? 'form' : { refused: FORM_MISSING };
  if (settings.mode === 'app' && !client.views) return { refused: APP_MISSING };
  // Remote mode: a dialog's or a card's "approve" comes from whatever client holds the token, so a person signs in
  // on the approval page instead (offered as a link by URL elicitation or by the card, or relayed); the form only
  // when forced.
  if (settings.remote) return client.url ? 'url' : 'link';
  if (settings.mode === 'page') return 'page';
  if (settings.mode === 'app') return 'app';
  return client.form ? 'form' : client.views ? 'app' : client.url ? 'url' : 'page';
}

/**
 * Whether the model ever carries a confirmation token back: in token mode, and in remote mode, where a client
 * without URL elicitation relays an approval link and then calls again with its reference. Anywhere else a
 * person answers the server directly, so tools do not offer the field at all. (Decided from the settings
 * alone: tools are listed before a session's client is known.)
 */
export function modelCarriesTokens(settings: Pick<ConfirmSettings, 'mode' | 'remote' | 'skip'>): boolean {
  if (settings.skip) return false;
  return settings.mode === 'token' || (settings.remote && settings.mode !== 'form');
}

/** Routes on which the model passes confirmationToken back. */
export function takesTokens(route: Route): boolean {
  return route === 'token' || route === 'link';
}
