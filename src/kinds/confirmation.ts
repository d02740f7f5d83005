// How a person confirms an action: the modes an operator can choose and the ways a confirmation was
// actually given (recorded in every audit line). A leaf: it imports nothing.

/**
 * auto: the client's form dialog, else the approval card in the chat (MCP Apps), else URL elicitation, else the
 * approval page opened in a browser; form / app / page: force that step; token: the model relays a single-use
 * token (does not prove a person agreed).
 */
export const CONFIRMATION_MODES = ['auto', 'form', 'app', 'page', 'token'] as const;
export type ConfirmationMode = (typeof CONFIRMATION_MODES)[number];

/**
 * form, app, url, page: a person decided (in the client's dialog, in a view in the chat, on the approval page);
 * token: relayed by the model; skipped: confirmations are off; none: not guarded.
 */
export type ConfirmedBy = 'form' | 'app' | 'url' | 'page' | 'token' | 'skipped' | 'none';
