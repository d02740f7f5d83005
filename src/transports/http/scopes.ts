// What each tool needs in HTTP mode: sinch:read for reads; sinch:moderate for acting on live calls and
// conferences (mute, hold, kick, hang up); sinch:call for callouts and account configuration.
import type { ToolKind, Toolset } from '../../kinds/tools.js';
import { type Scope, grants } from './auth.js';

export function scopeFor(tool: { kind: ToolKind; toolset: Toolset }): Scope {
  if (tool.kind === 'read') return 'sinch:read';
  if (tool.toolset === 'conferences' || tool.toolset === 'calls') return 'sinch:moderate';
  return 'sinch:call';
}

export function scopesAllow(tool: { kind: ToolKind; toolset: Toolset }, scopes: readonly string[]): boolean {
  return grants(scopes, scopeFor(tool));
}
