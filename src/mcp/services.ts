// What every MCP session of one server process shares, as compose() builds it: the one Sinch client, the state,
// the policy, confirmation and audit. createServer() turns it into one session's McpServer.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config/config.js';
import type { Confirmation } from '../confirm/confirmation.js';
import type { EventBuffer } from '../events/buffer.js';
import type { CalloutPolicy } from '../policy/outbound.js';
import type { RecentWrites } from '../policy/repeats.js';
import type { UnresolvedWrite } from '../support/audit-scan.js';
import type { SinchClient } from '../sinch/client.js';
import type { CallState } from '../state/calls.js';
import type { Audit } from '../support/audit.js';
import type { ToolDefinition, WaitContext } from '../tools/define.js';
import type { ViewSource } from './views.js';

/** The full tools/list answer computed at build time (dist/tool-listing.json). */
export type ToolListing = Tool[];

export interface SessionServices {
  config: Config;
  /** True when the embedded sandbox answers instead of Sinch. */
  sandbox: boolean;
  client: SinchClient;
  /** What the server knows about calls (labels, regions, conference joins); shared with the callback receiver. */
  calls: CallState;
  /** Call events: from the callback receiver when it is on (then also resources), else from watching Sinch. */
  events: EventBuffer;
  /** Where a session's waits get events from (see WaitContext). */
  waiting: Omit<WaitContext, 'calls' | 'returned'>;
  policy: CalloutPolicy;
  repeats: RecentWrites;
  /** Writes an earlier run left without an outcome (found in the audit file at start). */
  unresolved: UnresolvedWrite[];
  confirmation: Confirmation;
  audit: Audit;
  /**
   * When given, tools/list serves it, filtered to this session's tools, instead of converting every zod schema
   * to JSON Schema on start-up.
   */
  toolListing?: ToolListing;
  /** Tool calls in flight, so a shutdown can let them write their audit outcome first. */
  inflight: Set<Promise<unknown>>;
  /** Number Lookup v2 (project credentials set): its answer for an E.164 number; lookup_number adds it. */
  lookupPlus?: (e164: string) => Promise<Record<string, unknown>>;
  /** The built views (MCP Apps); without them no session offers views, whatever its client can show. */
  views?: ViewSource;
}

/** HTTP mode: the scopes of the session's caller decide which tools it lists, and each request's scopes whether a call may run. */
export interface SessionAccess {
  scopes: readonly string[];
  allows(tool: Pick<ToolDefinition, 'kind' | 'toolset'>, scopes: readonly string[]): boolean;
}
