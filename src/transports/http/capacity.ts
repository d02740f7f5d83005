// How many sessions one instance holds, and the connections that takes: the port's connection cap is derived from
// the session cap, so the sessions the table admits can always be reached (free of the MCP SDK: compose reads it
// before anything else of the edge is loaded).

/** Sessions open at once on one instance. */
export const MAX_SESSIONS = 1_000;

/** Connections besides the sessions' own: approval pages, callbacks, probes, clients opening a session. */
const HEADROOM = 128;

/**
 * Each session may hold one event stream (GET /mcp, a connection for as long as it lasts), one request in flight
 * beside it (HTTP/1.1 cannot send a request on a connection that is streaming an answer), and the connection of
 * its last request, which a client may not have released yet when it sends the next one on a new connection
 * (npm run bench:http, 1 000 sessions calling in a loop: up to 2.4 connections per session at once).
 */
export function connectionLimit(maxSessions: number = MAX_SESSIONS): number {
  return 3 * maxSessions + HEADROOM;
}
