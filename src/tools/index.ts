// The catalogue: every Calling API method as a tool, in the order a person would look for them.
import type { Config } from '../config/config.js';
import { getCallbackUrls, updateCallbackUrls } from './callbacks.js';
import { conferenceCallout, ttsCallout } from './callouts.js';
import { getCallResult, hangupCall, manageCall } from './calls.js';
import {
  getConference,
  holdParticipant,
  kickAllParticipants,
  kickParticipant,
  muteParticipants,
  resumeParticipant,
  unmuteParticipants,
} from './conferences.js';
import type { ToolDefinition } from './define.js';
import { waitForCallEvent } from './events.js';
import { lookupNumber } from './lookup.js';
import { lookupNumberPlus } from './lookup-plus.js';
import { assignNumbers, listNumbers, unassignNumber } from './numbers.js';

export const ALL_TOOLS: ToolDefinition[] = [
  listNumbers,
  assignNumbers,
  unassignNumber,
  getCallbackUrls,
  updateCallbackUrls,
  lookupNumber,
  getCallResult,
  waitForCallEvent,
  manageCall,
  hangupCall,
  getConference,
  muteParticipants,
  unmuteParticipants,
  holdParticipant,
  resumeParticipant,
  kickParticipant,
  kickAllParticipants,
  ttsCallout,
  conferenceCallout,
] as unknown as ToolDefinition[];

/**
 * The tools this configuration exposes: read-only wins over everything, then toolsets. With project credentials
 * and the lookup-plus toolset, lookup_number is the definition that adds Number Lookup (tools/lookup-plus.ts).
 */
export function enabledTools(config: Pick<Config, 'readOnly' | 'toolsets' | 'project'>): ToolDefinition[] {
  const plus = config.project !== undefined && config.toolsets.includes('lookup-plus');
  return ALL_TOOLS.filter((tool) => config.toolsets.includes(tool.toolset) && (!config.readOnly || tool.kind === 'read')).map((tool) =>
    plus && tool === (lookupNumber as unknown) ? (lookupNumberPlus as unknown as ToolDefinition) : tool,
  );
}
