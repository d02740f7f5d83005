// Builds the real server the way the bin does (compose, then one session) against a test sandbox, and connects
// the SDK's Client to it in memory.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { type Services, type Timing, compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import type { OpenUrl } from '../../src/confirm/browser.js';
import type { EventBuffer } from '../../src/events/buffer.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { viewsFrom } from '../../src/mcp/views.js';
import { serveStdio } from '../../src/serve.js';
import type { CallState } from '../../src/state/calls.js';
import type { ProjectCredentials } from '../../src/sinch/credentials.js';
import type { AuditEntry } from '../../src/support/audit.js';
import { sandboxWithClient } from './sandbox.js';

export interface Harness {
  client: Client;
  calls: CallState;
  sandbox: Sandbox;
  services: Services;
  /** Present with the callbacksAt option: where the receiver the sandbox sends callbacks to answers. */
  receiver?: { localUrl: string };
  events?: EventBuffer;
  audit: AuditEntry[];
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  /** Requests the sandbox received, as "METHOD path". */
  sent(): string[];
  /** Opens another session on the same services (its own client and cursor), closed with the harness. */
  session(): Promise<Pick<Harness, 'call'>>;
  close(): Promise<void>;
}

export interface CallResult {
  isError?: boolean;
  text: string;
  structured: Record<string, any>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Answer elicitation requests with this; when absent the client declares no elicitation capability. */
  elicit?: (message: string) => Promise<ElicitResult> | ElicitResult;
  now?: () => number;
  timeoutMs?: number;
  /** Capabilities the client declares (default: form elicitation when elicit is given, else none). */
  capabilities?: Record<string, unknown>;
  /** Start a callback receiver at this public URL and have the sandbox deliver callbacks to it. */
  callbacksAt?: string;
  /** How long sandbox calls ring before they are answered. */
  answerAfterMs?: number;
  /** Stands in for the browser: receives each approval page URL. */
  openUrl?: OpenUrl;
  /** The call state to use (default: a fresh one in memory). */
  calls?: CallState;
  timing?: Partial<Timing>;
  /** The project access key the sandbox's Number Lookup accepts (default: a random one). */
  project?: ProjectCredentials;
  /** Offer the built in-chat views (dist/views), as the bin does; the client must declare VIEWS_CLIENT to get them. */
  views?: boolean;
}

export { VIEWS_CLIENT } from '../../scripts/in-memory-server.js';

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  let receiverUrl: string | undefined;
  const { sandbox, client: sinch, close } = await sandboxWithClient(
    {
      timing: { answerAfterMs: options.answerAfterMs ?? 0, ttsDurationMs: 60_000 },
      // The sandbox stands in for Sinch, which calls the public URL: here that reaches the receiver directly.
      callbacks: { deliverTo: (url) => (receiverUrl && url === options.callbacksAt ? receiverUrl : url) },
      project: options.project,
    },
    { timeoutMs: options.timeoutMs ?? 3_000 },
  );
  const callbackEnv = options.callbacksAt ? { SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: options.callbacksAt } : {};
  // A client that cannot ask a person would get the browser approval page; tests that are not about it use
  // the token flow, which needs no browser. Confirmation tests set SINCH_CONFIRMATION_MODE themselves.
  const tokenByDefault = options.elicit || options.capabilities ? {} : { SINCH_CONFIRMATION_MODE: 'token' };
  const config = loadConfig({ ...tokenByDefault, ...callbackEnv, ...options.env });
  const audit: AuditEntry[] = [];
  const services = await compose(config, {
    client: sinch,
    now: options.now,
    calls: options.calls,
    audit: (entry) => void audit.push(entry),
    openUrl: options.openUrl,
    timing: options.timing,
    views: options.views ? viewsFrom(new URL('../../dist/views/', import.meta.url)) : undefined,
  });
  receiverUrl = services.receiver?.localUrl;
  const sessions: Array<{ client: Client; serving: { close(): Promise<void> } }> = [];
  async function connect(): Promise<Client> {
    const client = new Client({ name: 'test', version: '0' }, { capabilities: options.capabilities ?? (options.elicit ? { elicitation: { form: {} } } : {}) });
    if (options.elicit) {
      const answer = options.elicit;
      client.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params.message));
    }
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const [serving] = await Promise.all([serveStdio(services, serverSide), client.connect(clientSide)]);
    sessions.push({ client, serving });
    return client;
  }
  const callOn = (client: Client) => async (name: string, args: Record<string, unknown> = {}): Promise<CallResult> => {
    const result = await client.callTool({ name, arguments: args });
    return {
      isError: result.isError as boolean | undefined,
      text: (result.content as Array<{ text: string }>)[0]?.text ?? '',
      structured: (result.structuredContent ?? {}) as Record<string, any>,
    };
  };
  const client = await connect();
  return {
    client,
    calls: services.calls,
    sandbox,
    services,
    receiver: services.receiver,
    events: services.events,
    audit,
    call: callOn(client),
    sent: () => sandbox.requests.map((r) => `${r.method} ${r.path}`),
    session: async () => ({ call: callOn(await connect()) }),
    async close() {
      for (const session of sessions) await session.client.close();
      await services.drain();
      for (const session of sessions) await session.serving.close();
      await services.close();
      await close();
    },
  };
}

/** Calls a guarded tool through the token flow: preview, then the same arguments with the token. */
export async function confirmed(h: Harness, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const preview = await h.call(name, args);
  if (preview.structured.status !== 'confirmation_required') throw new Error(`expected a confirmation preview, got: ${preview.text}`);
  return h.call(name, { ...args, confirmationToken: preview.structured.confirmationToken });
}
