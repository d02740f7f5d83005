// The sandbox's route table, its mirror of src/sinch/endpoints.ts: one row for each Calling API v1 request,
// a method and a path pattern whose ':name' segments become the handler's params. api.ts supplies the handlers;
// test/unit/sandbox-routes.test.ts holds the two tables to each other.
import type { HttpMethod } from '../sinch/client.js';
import { REGION_B_PREFIX } from './state.js';

/** 'b' for a request on the second region (REGION_B_PREFIX). */
export type Region = 'b' | undefined;
export type Params = Record<string, string>;
export type RouteResult = { status: number; body?: unknown };

export interface RouteRequest {
  params: Params;
  body: unknown;
  region: Region;
}

export type Handler = (request: RouteRequest) => RouteResult | Promise<RouteResult>;
/** Throws when what the path names is unknown (or wrong). */
export type Check = (request: RouteRequest) => void;

export interface Route {
  method: HttpMethod;
  path: string;
  handle: Handler;
}

export interface RouteTable {
  /**
   * Run on every request whose path they match, before its route is looked for: what a path names is looked
   * up first, so an unknown call is 404 Call not found whatever the method.
   */
  checks: Array<{ path: string; check: Check }>;
  routes: Route[];
}

export interface SandboxHandlers {
  knownApplication: Check;
  knownCall: Check;
  knownParticipant: Check;
  listNumbers: Handler;
  assignNumbers: Handler;
  unassignNumber: Handler;
  getCallbackUrls: Handler;
  updateCallbackUrls: Handler;
  queryNumber: Handler;
  callout: Handler;
  getCall: Handler;
  manageCall: Handler;
  manageCallLeg: Handler;
  getConference: Handler;
  kickAll: Handler;
  manageParticipant: Handler;
  kickParticipant: Handler;
}

export function sandboxRoutes(h: SandboxHandlers): RouteTable {
  return {
    checks: [
      { path: '/configuration/callbacks/applications/:applicationKey', check: h.knownApplication },
      // Whatever follows its id, a path about an unknown call is answered Call not found.
      { path: '/calls/id/:callId/*', check: h.knownCall },
      { path: '/conferences/id/:conferenceId/:callId', check: h.knownParticipant },
    ],
    routes: [
      { method: 'GET', path: '/configuration/numbers', handle: h.listNumbers },
      { method: 'POST', path: '/configuration/numbers', handle: h.assignNumbers },
      { method: 'DELETE', path: '/configuration/numbers', handle: h.unassignNumber },
      { method: 'GET', path: '/configuration/callbacks/applications/:applicationKey', handle: h.getCallbackUrls },
      { method: 'POST', path: '/configuration/callbacks/applications/:applicationKey', handle: h.updateCallbackUrls },
      { method: 'GET', path: '/calling/query/number/:number', handle: h.queryNumber },
      { method: 'POST', path: '/callouts', handle: h.callout },
      { method: 'GET', path: '/calls/id/:callId', handle: h.getCall },
      { method: 'PATCH', path: '/calls/id/:callId', handle: h.manageCall },
      // The leg is part of the route: any other word there names no route at all.
      { method: 'PATCH', path: '/calls/id/:callId/leg/caller', handle: h.manageCallLeg },
      { method: 'PATCH', path: '/calls/id/:callId/leg/callee', handle: h.manageCallLeg },
      { method: 'PATCH', path: '/calls/id/:callId/leg/both', handle: h.manageCallLeg },
      { method: 'GET', path: '/conferences/id/:conferenceId', handle: h.getConference },
      { method: 'DELETE', path: '/conferences/id/:conferenceId', handle: h.kickAll },
      { method: 'PATCH', path: '/conferences/id/:conferenceId/:callId', handle: h.manageParticipant },
      { method: 'DELETE', path: '/conferences/id/:conferenceId/:callId', handle: h.kickParticipant },
    ],
  };
}

/** The second region's base path, and Sinch's two (calling and management), each of which serves every route. */
const BASE_PATHS: Array<{ prefix: string; region: Region }> = [
  { prefix: REGION_B_PREFIX, region: 'b' },
  { prefix: '/calling/v1', region: undefined },
  { prefix: '/v1', region: undefined },
];

/** The path below the base path it came in on, and that base path's region; undefined under no base path. */
export function belowBasePath(fullPath: string): { path: string; region: Region } | undefined {
  const base = BASE_PATHS.find(({ prefix }) => fullPath === prefix || fullPath.startsWith(`${prefix}/`));
  return base && { path: fullPath.slice(base.prefix.length), region: base.region };
}

/** The row for this method and path, with the path's params. */
export function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Params } | undefined {
  for (const route of routes) {
    const params = route.method === method ? matchPath(route.path, path) : undefined;
    if (params) return { route, params };
  }
  return undefined;
}

/**
 * The params when the path's segments fit the pattern's one for one, or, after a last '*', with any number
 * more. Segments are compared and taken URL-decoded.
 */
export function matchPath(pattern: string, path: string): Params | undefined {
  const wanted = segments(pattern);
  const given = segments(path).map(decodeSegment);
  const openEnded = wanted.at(-1) === '*';
  if (openEnded) wanted.pop();
  if (openEnded ? given.length < wanted.length : given.length !== wanted.length) return undefined;
  const params: Params = {};
  for (const [i, part] of wanted.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = given[i];
    else if (part !== given[i]) return undefined;
  }
  return params;
}

/** Empty segments ('//', a trailing '/') are skipped, as the sandbox always has. */
function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
