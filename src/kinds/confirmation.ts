// How a person confirms an action: the modes an operator can choose and the ways a confirmation was
// actually given (recorded in every audit line). A leaf: it imports nothing.

/**
 * auto: the client's form dialog, else URL elicitation, else the approval page opened in a browser;
 * form / page: force that step; token: the model relays a single-use token (does not prove a person agreed).
 */
export const CONFIRMATION_MODES = ['auto', 'form', 'page', 'token'] as const;
export type ConfirmationMode = (typeof CONFIRMATION_MODES)[number];

/** form, url, page: a person decided; token: relayed by the model; skipped: confirmations are off; none: not guarded. */
export type ConfirmedBy = 'form' | 'url' | 'page' | 'token' | 'skipped' | 'none';
