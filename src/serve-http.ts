// Remote mode: the same createServer() behind the authenticated Streamable HTTP edge, one session per client,
// mounted on the port compose() bound, with the callback receiver and the sign-in protected approval pages on it.
import type { Services } from './compose.js';
import { sharedApproverSessions } from './confirm/approver-sessions.js';
import { approvalHandler } from './confirm/page-server.js';
import { APPROVAL_PATH } from './confirm/approvals.js';
import { SIGN_IN_CALLBACK_PATH } from './confirm/issuer-signin.js';
import type { InteractiveSignIn } from './confirm/sign-in.js';
import { createServer } from './mcp/server.js';
import { approverRefusal } from './confirm/approver-rules.js';
import { signedInPerson } from './transports/http/auth.js';
import { createEdge } from './transports/http/edge.js';
import { approvalPageHosts } from './transports/http/host.js';
import { authorizationCodeClient } from './transports/http/oauth-signin.js';
import { scopesAllow } from './transports/http/scopes.js';

export async function serveHttp(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const { server, auth } = services.http!;
  const { approvals } = services.confirmation;
  const config = services.config.http!;
  // A person signs in on the page with an approver's own credential (confirm/approver-rules.ts).
  const pages = approvalHandler(approvals, approvalPageHosts(server, config.publicUrl, config.allowedHosts), {
    authenticate: (token) => signedInPerson(auth, token),
    refusal: (approval, approver) => approverRefusal(approval, approver, config.approvers),
    sessions: sharedApproverSessions(services.state),
    secure: config.publicUrl?.startsWith('https:') ?? false,
    interactive: interactiveSignIn(services, server.origin),
  });
  const edge = createEdge({
    bound: server,
    publicUrl: config.publicUrl,
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
    auth,
    mounts: [{ prefix: APPROVAL_PATH, handle: pages }, ...(services.receiver ? [{ prefix: services.receiver.path, handle: services.receiver.handle }] : [])],
    newSession: (caller) => createServer(services, { scopes: caller.scopes, allows: scopesAllow }),
    // Only the receiver's events are pushed outside an answer (mcp/resources.ts).
    eventStreams: services.waiting.mode === 'receiver',
  });
  server.mount(edge.handle);
  return { url: edge.url, close: () => edge.close() };
}

/** With OAuth and SINCH_OAUTH_CLIENT_ID: approvers sign in at the issuer, back at <public origin>/approve/callback. */
function interactiveSignIn(services: Services, boundOrigin: string): InteractiveSignIn | undefined {
  const { auth, publicUrl } = services.config.http!;
  if (auth.kind !== 'oauth' || !auth.signIn) return undefined;
  const redirectUri = `${new URL(publicUrl ?? boundOrigin).origin}${SIGN_IN_CALLBACK_PATH}`;
  const client = authorizationCodeClient({ issuer: auth.issuer, jwksUrl: auth.jwksUrl, redirectUri, ...auth.signIn });
  return { client, issuerName: new URL(auth.issuer).host, state: services.state };
}
