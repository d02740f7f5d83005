// Call events as resources, with subscriptions: a subscriber hears notifications/resources/updated.
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { EventBuffer } from '../events/buffer.js';
import type { CallEvent } from '../events/event.js';
import type { UnresolvedWrite } from '../support/audit-scan.js';
import { onClose } from './on-close.js';

const RECENT_EVENTS = 'sinch://events/recent';
export const UNRESOLVED_WRITES = 'sinch://writes/unresolved';

/** The writes an earlier run left without an outcome: what they were, when, and what to do before repeating one. */
export function registerUnresolvedWrites(server: McpServer, writes: UnresolvedWrite[]): void {
  server.registerResource(
    'unresolved-writes',
    UNRESOLVED_WRITES,
    { title: 'Writes with no known outcome', description: 'Writes an earlier run of this server sent or was sending when it stopped; each may have happened.', mimeType: 'application/json' },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(
            writes.map((write) => ({
              tool: write.tool,
              at: write.ts,
              request: write.request,
              destination: write.destination,
              arguments: write.arguments,
              advice: write.destination
                ? `${write.destination} may have been called: a callout to it is shown to a person as a possible repeat for 10 minutes. Check the call logs before calling again.`
                : 'Read the current state (get_call_result, get_conference, list_numbers) before repeating it.',
            })),
          ),
        },
      ],
    }),
  );
}

export function registerEventResources(server: McpServer, events: EventBuffer): void {
  const asJson = (uri: URL, list: CallEvent[]) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(list) }] });
  server.registerResource(
    'recent-events',
    RECENT_EVENTS,
    { title: 'Recent call events', description: 'The last 100 call events Sinch sent (ICE, ACE, DiCE, PIE, notify), oldest first.', mimeType: 'application/json' },
    (uri) => asJson(uri, events.list({}, 100)),
  );
  server.registerResource(
    'call-events',
    new ResourceTemplate('sinch://calls/{callId}/events', { list: undefined }),
    { title: 'Events of one call', description: 'Call events received for one callId.', mimeType: 'application/json' },
    (uri, { callId }) => asJson(uri, events.list({ callId: String(callId) })),
  );
  server.registerResource(
    'conference-events',
    new ResourceTemplate('sinch://conferences/{conferenceId}/events', { list: undefined }),
    { title: 'Events of one conference', description: 'Call events of the calls in one conference.', mimeType: 'application/json' },
    (uri, { conferenceId }) => asJson(uri, events.list({ conferenceId: String(conferenceId) })),
  );

  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const stop = events.onEvent((event) => {
    const touched = [RECENT_EVENTS];
    if (event.callId) touched.push(`sinch://calls/${event.callId}/events`);
    if (event.conferenceId) touched.push(`sinch://conferences/${event.conferenceId}/events`);
    for (const uri of touched) if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  onClose(server, stop);
}
