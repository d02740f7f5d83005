// What kind of thing a tool is: the two words that annotations, guarding, scopes, read-only mode, the
// approval page and the audit all decide by. A leaf: it imports nothing.

/**
 * read: changes nothing. reversible: changes state that one call can undo (mute/unmute).
 * destructive: ends calls or replaces configuration. costly: places a billed call.
 */
export type ToolKind = 'read' | 'reversible' | 'destructive' | 'costly';

/** The domains tools are grouped in; SINCH_TOOLSETS picks among them. */
export const TOOLSETS = ['numbers', 'callbacks', 'lookup', 'calls', 'conferences', 'callouts'] as const;
export type Toolset = (typeof TOOLSETS)[number];
