// Builds the real server (createServer) against a test sandbox and connects the SDK's Client in memory.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig } from '../../src/config/config.js';
import type { ApprovalPages } from '../../src/confirm/ask.js';
import type { OpenUrl } from '../../src/confirm/browser.js';
import { EventBuffer } from '../../src/events/buffer.js';
import { type Receiver, startReceiver } from '../../src/events/receiver.js';
import type { AuditEntry } from '../../src/support/audit.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createServer } from '../../src/mcp/server.js';
import { CallState } from '../../src/state/calls.js';
import { sandboxWithClient } from './sandbox.js';

export interface Harness {
  client: Client;
  calls: CallState;
  sandbox: Sandbox;
  /** Present with the events option: the receiver the sandbox sends callbacks to. */
  receiver?: Receiver;
  events?: EventBuffer;
  audit: AuditEntry[];
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  /** Requests the sandbox received, as "METHOD path". */
  sent(): string[];
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
  approvalPages?: ApprovalPages;
  /** Stands in for the browser: receives each approval page URL. */
  openUrl?: OpenUrl;
  /** The call state to use (default: a fresh one in memory). */
  calls?: CallState;
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  let receiver: Receiver | undefined;
  const { sandbox, client: sinch, close } = await sandboxWithClient(
    {
      timing: { answerAfterMs: options.answerAfterMs ?? 0, ttsDurationMs: 60_000 },
      callbacks: { deliverTo: (url) => (receiver && url === options.callbacksAt ? receiver.localUrl : url) },
    },
    { timeoutMs: options.timeoutMs ?? 3_000 },
  );
  const callbackEnv = options.callbacksAt ? { SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: options.callbacksAt } : {};
  // A client that cannot ask a person would get the browser approval page; tests that are not about it use
  // the token flow, which needs no browser. Confirmation tests set SINCH_CONFIRMATION_MODE themselves.
  const tokenByDefault = options.elicit || options.capabilities ? {} : { SINCH_CONFIRMATION_MODE: 'token' };
  const config = loadConfig({ ...tokenByDefault, ...callbackEnv, ...options.env });
  const calls = options.calls ?? CallState.inMemory();
  const events = config.callbacks ? new EventBuffer(1_000) : undefined;
  if (config.callbacks && events) {
    receiver = await startReceiver({ host: '127.0.0.1', port: 0, publicPath: config.callbacks.publicPath, app: sandbox.app, buffer: events, calls, iceAnswer: config.callbacks.iceAnswer });
  }
  const audit: AuditEntry[] = [];
  const server = createServer({
    config,
    client: sinch,
    sandbox: true,
    now: options.now,
    events,
    calls,
    audit: (entry) => {
      audit.push(entry);
    },
    approvalPages: options.approvalPages,
    openUrl: options.openUrl,
  });
  const client = new Client({ name: 'test', version: '0' }, { capabilities: options.capabilities ?? (options.elicit ? { elicitation: { form: {} } } : {}) });
  if (options.elicit) {
    const answer = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params.message));
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    calls,
    sandbox,
    receiver,
    events,
    audit,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args });
      return {
        isError: result.isError as boolean | undefined,
        text: (result.content as Array<{ text: string }>)[0]?.text ?? '',
        structured: (result.structuredContent ?? {}) as Record<string, any>,
      };
    },
    sent: () => sandbox.requests.map((r) => `${r.method} ${r.path}`),
    async close() {
      await client.close();
      await server.close();
      await receiver?.close();
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
