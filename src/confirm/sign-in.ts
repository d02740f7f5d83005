// Remote mode: who is signed in on the approval page, and the one way a sign-in is admitted, whether the person
// pasted a token or signed in at the issuer: the approver rules first, then a session behind a cookie.
import type { ServerResponse } from 'node:http';
import type { SharedState } from '../state/shared.js';
import { APPROVAL_PATH, type Approval } from './approvals.js';

/** A person signed in on the approval page. */
export interface Approver {
  subject: string;
  scopes: readonly string[];
  /** The hash of the token they signed in with (confirm/approver-rules.ts: never the token that made the call). */
  credential?: string;
}

/**
 * Remote mode: a person signs in with their own approver's credential before deciding. The model, which sees a
 * link at most, holds no such credential; the client's own token is not one (approver-rules.ts).
 */
export interface PageLogin {
  authenticate(token: string): Promise<(Approver & { expiresAt?: number }) | undefined>;
  /** Why this person may not decide this approval; undefined when they may. */
  refusal(approval: Approval, approver: Approver): string | undefined;
  sessions: ApproverSessions;
  /** Mark the cookie Secure (the public URL is https). */
  secure: boolean;
  /** With OAuth and a client id: people sign in at the issuer (issuer-signin.ts) instead of pasting a token. */
  interactive?: InteractiveSignIn;
}

export interface ApproverSessions {
  /** A sign-in that lasts at most until `expiresAt` (the token's own expiry), when given. */
  create(approver: Approver, expiresAt?: number): Promise<string>;
  get(id: string): Promise<Approver | undefined>;
}

/** The issuer's side of an interactive sign-in (transports/http/oauth-signin.ts); `secrets` is opaque here. */
export interface IssuerClient {
  begin(state: string): Promise<{ url: string; secrets: string }>;
  finish(answer: { code: string; iss?: string }, secrets: string): Promise<{ ok: true; accessToken: string } | { ok: false; problem: string }>;
}

export interface InteractiveSignIn {
  client: IssuerClient;
  /** What the page names as where people sign in (the issuer's host). */
  issuerName: string;
  /** Where sign-ins in progress wait, so that any instance can finish one. */
  state: SharedState;
  now?: () => number;
}

export const APPROVER_COOKIE = 'sinch_approver';

/**
 * Signs this person in for this approval when the approver rules allow it (sets the session cookie); otherwise
 * returns why not, and nobody is signed in.
 */
export async function admit(res: ServerResponse, login: PageLogin, approval: Approval, person: Approver & { expiresAt?: number }): Promise<string | undefined> {
  const refused = login.refusal(approval, person);
  if (refused) return refused;
  const { expiresAt, ...approver } = person;
  const session = await login.sessions.create(approver, expiresAt);
  const flags = `HttpOnly; SameSite=Strict; Path=${APPROVAL_PATH}; Max-Age=900${login.secure ? '; Secure' : ''}`;
  res.setHeader('set-cookie', `${APPROVER_COOKIE}=${session}; ${flags}`);
  return undefined;
}
