// What kind of thing a tool is: the two words that annotations, guarding, scopes, read-only mode, the
// approval page and the audit all decide by. A leaf: it imports nothing.

/**
 * read: changes nothing. reversible: changes state that one call can undo (mute/unmute).
 * destructive: ends calls or replaces configuration. costly: places a billed call.
 */
export type ToolKind = 'read' | 'reversible' | 'destructive' | 'costly';

/**
 * The domains tools are grouped in; SINCH_TOOLSETS picks among them. `lookup-plus` has no tool of its own: with
 * Sinch project credentials it adds Number Lookup's facts to lookup_number, so leaving it out keeps lookups free.
 */
export const TOOLSETS = ['numbers', 'callbacks', 'lookup', 'lookup-plus', 'calls', 'conferences', 'callouts'] as const;
export type Toolset = (typeof TOOLSETS)[number];
