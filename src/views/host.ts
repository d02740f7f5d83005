// The handshake with the host and what it tells the view: its context (theme, the tool call this view was
// opened for), the call's arguments and how the call ended. Also the view's side of the lifecycle: size
// reports while it lives, every timer stopped when the host tears it down.

import { Latest } from './latest.js';
import { Lifetime } from './lifetime.js';
import { Rpc, type Params } from './rpc.js';
import { reportSize } from './size.js';
import { type HostStyles, applyTheme } from './theme.js';

declare const __APP_VERSION__: string;

const PROTOCOL_VERSION = '2026-01-26';
/**
 * Hosts send the arguments once the model has written them all: right after the handshake, or after partial
 * ones while it still writes. A host that sent neither this long after the handshake is taken to send none.
 */
const INPUT_WAIT_MS = 2_000;

export interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export type CallEnd = { result: ToolResult } | { cancelled: string };

export interface HostContext extends HostStyles {
  toolInfo?: { id?: string | number; tool?: { name?: string } };
  locale?: string;
  timeZone?: string;
}

export interface Host {
  rpc: Rpc;
  lifetime: Lifetime;
  context: HostContext;
  /** The tool call this view was opened for. */
  call: {
    name?: string;
    requestId?: string | number;
    /** Its arguments; undefined when the host gave none in time. */
    input: Promise<Params | undefined>;
    /** Its result or cancellation, once the host hands it over. */
    end: Latest<CallEnd>;
  };
}

export async function connectToHost(): Promise<Host> {
  const rpc = new Rpc();
  const lifetime = new Lifetime();
  const end = new Latest<CallEnd>();
  let context: HostContext = {};
  let takeInput!: (args: Params | undefined) => void;
  const input = new Promise<Params | undefined>((resolve) => (takeInput = resolve));

  // Handlers first: the host may speak as soon as it has answered ui/initialize.
  let stopWaitingForInput = () => {};
  rpc.onNotification('ui/notifications/tool-input', (params) => takeInput(asRecord(params.arguments)));
  rpc.onNotification('ui/notifications/tool-input-partial', () => stopWaitingForInput());
  // A call that has ended gets no more arguments (a promise keeps the first value it was given).
  end.watch(() => takeInput(undefined));
  rpc.onNotification('ui/notifications/tool-result', (params) => end.set({ result: params as ToolResult }));
  rpc.onNotification('ui/notifications/tool-cancelled', (params) => end.set({ cancelled: typeof params.reason === 'string' ? params.reason : '' }));
  rpc.onNotification('ui/notifications/host-context-changed', (params) => {
    context = { ...context, ...params };
    applyTheme(context);
  });
  rpc.onRequest('ui/resource-teardown', () => {
    lifetime.end();
    return {};
  });
  rpc.onRequest('ping', () => ({}));

  const answer = await rpc.request<{ hostContext?: HostContext }>(
    'ui/initialize',
    { appCapabilities: { availableDisplayModes: ['inline'] }, appInfo: { name: 'sinch-calling-mcp', version: __APP_VERSION__ }, protocolVersion: PROTOCOL_VERSION },
    10_000,
  );
  context = answer?.hostContext ?? {};
  applyTheme(context);
  rpc.notify('ui/notifications/initialized');
  lifetime.onEnd(reportSize(rpc));
  stopWaitingForInput = lifetime.after(INPUT_WAIT_MS, () => takeInput(undefined));

  return {
    rpc,
    lifetime,
    get context() {
      return context;
    },
    call: { name: context.toolInfo?.tool?.name, requestId: context.toolInfo?.id, input, end },
  };
}

export function asRecord(value: unknown): Params | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Params) : undefined;
}
