// What this client can do for confirmation, from the capabilities it declared, and the AskChannel one tool
// call gets: form elicitation, URL elicitation (MCP 2025-11-25), progress notifications while waiting.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AskChannel, ConfirmOutcome } from '../confirm/channel.js';
import type { ClientAbilities } from '../confirm/route.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The MCP Apps extension, and the kind of view this server ships. */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

export function clientAbilities(server: McpServer): ClientAbilities {
  const capabilities = server.server.getClientCapabilities();
  const elicitation = capabilities?.elicitation;
  const ui = capabilities?.extensions?.[UI_EXTENSION] as { mimeTypes?: unknown } | undefined;
  const views = Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(VIEW_MIME_TYPE);
  return { form: Boolean(elicitation?.form), url: Boolean(elicitation?.url), views };
}

export function askChannel(server: McpServer, extra: Extra, timeoutMs: number): AskChannel {
  const options = { timeout: timeoutMs, signal: extra.signal, relatedRequestId: extra.requestId };
  const progressToken = extra._meta?.progressToken;
  return {
    signal: extra.signal,
    caller: (extra.authInfo?.extra as { subject?: string } | undefined)?.subject,
    credential: (extra.authInfo?.extra as { credential?: string } | undefined)?.credential,
    requestId: extra.requestId,
    async form(message) {
      const answer = await server.server.elicitInput(
        {
          mode: 'form',
          message,
          requestedSchema: {
            type: 'object',
            properties: { confirm: { type: 'boolean', title: 'Go ahead?', description: 'Tick to confirm this action.' } },
            required: ['confirm'],
          },
        },
        options,
      );
      // Only accept with the box ticked goes ahead.
      if (answer.action === 'accept') return answer.content?.confirm === true ? 'accept' : 'decline';
      return answer.action as ConfirmOutcome;
    },
    url: async (message, url, elicitationId) => (await server.server.elicitInput({ mode: 'url', message, url, elicitationId }, options)).action as ConfirmOutcome,
    urlComplete: (elicitationId) => server.server.createElicitationCompletionNotifier(elicitationId, { relatedRequestId: extra.requestId })(),
    progress:
      progressToken === undefined
        ? undefined
        : (progress, message) => void extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } }).catch(() => undefined),
  };
}
