// What the MCP face offers confirmation for one tool call: how to ask this client's person, and who is calling.
// The route (route.ts) decides which of these is used; the MCP face never decides.

export type ConfirmOutcome = 'accept' | 'decline' | 'cancel';

export interface AskChannel {
  /** The tool call's own cancellation. */
  signal?: AbortSignal;
  /** Form elicitation (the client's dialog); rejects when asking failed or timed out. */
  form(message: string): Promise<ConfirmOutcome>;
  /** URL elicitation: the client offers the person a link; resolves with their answer to opening it. */
  url(message: string, url: string, elicitationId: string): Promise<ConfirmOutcome>;
  /** notifications/elicitation/complete for a URL elicitation. */
  urlComplete(elicitationId: string): Promise<void>;
  /** A progress notification, when the request carried a progressToken. */
  progress?: (progress: number, message: string) => void;
  /** HTTP mode: the authenticated subject making this call. */
  caller?: string;
  /** HTTP mode: the hash of the token making this call (never the token), which may not approve it. */
  credential?: string;
  /** The tools/call request's JSON-RPC id: the approval card's view names its call by it. */
  requestId?: string | number;
}
