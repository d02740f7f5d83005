// What each tool needs in HTTP mode: sinch:read for reads; sinch:moderate for acting on live calls and
// conferences (mute, hold, kick, hang up); sinch:call for callouts and account configuration.
import type { ToolDefinition } from '../tools/define.js';
import { type Scope, grants } from './auth.js';

export function scopeFor(tool: Pick<ToolDefinition, 'kind' | 'toolset'>): Scope {
  if (tool.kind === 'read') return 'sinch:read';
  if (tool.toolset === 'conferences' || tool.toolset === 'calls') return 'sinch:moderate';
  return 'sinch:call';
}

export function scopesAllow(tool: Pick<ToolDefinition, 'kind' | 'toolset'>, scopes: readonly string[]): boolean {
  return grants(scopes, scopeFor(tool));
}
