// The in-chat views (MCP Apps) as resources: one self-contained HTML document each, built at build time into
// dist/views/ and read on the first resources/read, never at start. Which tools show which view.
import type { McpServer, RegisteredResource } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VIEW_MIME_TYPE } from './ask.js';

export const VIEWS = ['approval', 'conference', 'call'] as const;
export type ViewName = (typeof VIEWS)[number];

/** Reads a view's HTML (the bin: from dist/views next to it). */
export type ViewSource = (name: ViewName) => Promise<string>;

export const viewUri = (name: ViewName) => `ui://sinch-calling/${name}`;

/** The view a tool's result is shown in: the console for a room, the call card for a call, else (guarded) the approval card. */
export function viewFor(tool: { name: string }, guarded: boolean): ViewName | undefined {
  if (tool.name === 'get_conference' || tool.name === 'conference_callout') return 'conference';
  if (tool.name === 'get_call_result' || tool.name === 'tts_callout') return 'call';
  return guarded ? 'approval' : undefined;
}

const DESCRIPTIONS: Record<ViewName, { title: string; description: string }> = {
  approval: { title: 'Approval card', description: 'Approve or deny a guarded action in the chat.' },
  conference: { title: 'Conference console', description: 'Who is in a room, live: mute, hold, remove.' },
  call: { title: 'Call card', description: 'One call: ringing, answered, ended.' },
};

/**
 * Registers the three views, disabled: a session enables them once its client declared it shows views. The
 * documents load nothing from elsewhere (no CSP domain at all) and ask for the host's border.
 */
export function registerViews(server: McpServer, source: ViewSource): RegisteredResource[] {
  return VIEWS.map((name) => {
    const uri = viewUri(name);
    const registered = server.registerResource(name, uri, { ...DESCRIPTIONS[name], mimeType: VIEW_MIME_TYPE }, async () => ({
      contents: [{ uri, mimeType: VIEW_MIME_TYPE, text: await source(name), _meta: { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } } }],
    }));
    registered.enabled = false;
    return registered;
  });
}

/** The views built into `dir` (dist/views, brotli-compressed), each read once, when a host first asks for it. */
export function viewsFrom(dir: URL): ViewSource {
  const read = new Map<ViewName, Promise<string>>();
  return (name) => {
    let html = read.get(name);
    if (!html) {
      const file = new URL(`${name}.html.br`, dir);
      html = Promise.all([import('node:fs/promises'), import('node:zlib')]).then(async ([{ readFile }, { brotliDecompressSync }]) => {
        try {
          return brotliDecompressSync(await readFile(file)).toString('utf8');
        } catch (error) {
          throw new Error(`sinch-calling-mcp is damaged: ${file.pathname} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); reinstall the package`);
        }
      });
      // A failed read is not kept: the next host to ask tries again.
      html.catch(() => read.delete(name));
      read.set(name, html);
    }
    return html;
  };
}
