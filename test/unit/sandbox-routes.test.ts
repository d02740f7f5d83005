// The sandbox's route table against the client's: every request src/sinch/endpoints.ts can build has its row,
// under each base path the sandbox serves, and reaches the handler of the same name. Then the matcher itself,
// and the answers the table must not change (which "not found" comes first, wrong methods, regions).
import { describe, expect, it } from 'vitest';
import { type CallLeg, endpoints } from '../../src/sinch/endpoints.js';
import type { SinchRequest } from '../../src/sinch/client.js';
import { HttpError, createSandboxApi } from '../../src/sandbox/api.js';
import { SandboxCallbacks } from '../../src/sandbox/callbacks.js';
import { type SandboxHandlers, belowBasePath, findRoute, matchPath, sandboxRoutes } from '../../src/sandbox/routes.js';
import { REGION_B_PREFIX, SandboxState } from '../../src/sandbox/state.js';

const KEY = '11983f76-12c8-1111-9515-4785c7b49ca8';
const CALL_ID = '4398599d1ba84ef3bde0a82dfb61abed';
const SVAML = { action: { name: 'continue' as const } };
const LEGS: CallLeg[] = ['caller', 'callee', 'both'];

/** Each endpoint's requests, built with valid arguments, and the handler that should answer each. */
const REQUESTS: Record<keyof typeof endpoints, Array<[SinchRequest, keyof SandboxHandlers]>> = {
  listNumbers: [[endpoints.listNumbers(), 'listNumbers']],
  assignNumbers: [[endpoints.assignNumbers(['+14045005000'], KEY, 'voice'), 'assignNumbers']],
  unassignNumber: [[endpoints.unassignNumber('+46730170101', KEY, 'voice'), 'unassignNumber']],
  getCallbackUrls: [[endpoints.getCallbackUrls(KEY), 'getCallbackUrls']],
  updateCallbackUrls: [[endpoints.updateCallbackUrls(KEY, { primary: 'https://example.test/events' }), 'updateCallbackUrls']],
  queryNumber: [[endpoints.queryNumber('+46730170101'), 'queryNumber']],
  getCall: [[endpoints.getCall(CALL_ID), 'getCall']],
  manageCall: [[endpoints.manageCall(CALL_ID, SVAML), 'manageCall'], ...LEGS.map((leg): [SinchRequest, 'manageCallLeg'] => [endpoints.manageCall(CALL_ID, SVAML, leg), 'manageCallLeg'])],
  getConference: [[endpoints.getConference('standup'), 'getConference']],
  manageParticipant: [[endpoints.manageParticipant('standup', CALL_ID, 'onhold', 'music1'), 'manageParticipant']],
  kickParticipant: [[endpoints.kickParticipant('standup', CALL_ID), 'kickParticipant']],
  kickAll: [[endpoints.kickAll('standup'), 'kickAll']],
  callout: [[endpoints.callout({ method: 'ttsCallout', ttsCallout: { destination: { type: 'number', endpoint: '+46708168731' }, text: 'hi' } }), 'callout']],
};

/** Handlers that answer with their own name, so a test can tell which row answered. */
const NAMED = new Proxy({} as SandboxHandlers, { get: (_, name) => () => ({ status: 200, body: name }) });
const TABLE = sandboxRoutes(NAMED);

async function handlerFor(method: string, fullPath: string): Promise<unknown> {
  const below = belowBasePath(fullPath);
  const found = below && findRoute(TABLE.routes, method, below.path);
  if (!below || !found) return undefined;
  return (await found.route.handle({ params: found.params, body: undefined, region: below.region })).body;
}

describe('the route table mirrors the client’s endpoints', () => {
  const cases = Object.values(REQUESTS).flat();

  it.each(['/calling/v1', '/v1', REGION_B_PREFIX])('every request the client builds has its row under %s', async (base) => {
    for (const [request, handler] of cases) {
      expect(await handlerFor(request.method, `${base}${request.path}`), `${request.method} ${request.path}`).toBe(handler);
    }
  });

  it('has no row the client cannot reach', () => {
    const reached = new Set(cases.map(([request]) => findRoute(TABLE.routes, request.method, request.path)?.route));
    const unreached = TABLE.routes.filter((route) => !reached.has(route));
    expect(unreached.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });
});

describe('matchPath', () => {
  it('names the params', () => {
    expect(matchPath('/conferences/id/:conferenceId/:callId', '/conferences/id/standup/abc')).toEqual({ conferenceId: 'standup', callId: 'abc' });
    expect(matchPath('/configuration/numbers', '/configuration/numbers')).toEqual({});
  });

  it('compares and hands over URL-decoded segments, keeping one that does not decode', () => {
    expect(matchPath('/conferences/id/:conferenceId/:callId', '/conferences/id/r%C3%B6d/a%2Fb')).toEqual({ conferenceId: 'röd', callId: 'a/b' });
    expect(matchPath('/calling/query/number/:number', '/calling/query/number/%2B46730170101')).toEqual({ number: '+46730170101' });
    expect(matchPath('/callouts', '/%63allouts')).toEqual({});
    expect(matchPath('/calls/id/:callId', '/calls/id/%E0%A4%A')).toEqual({ callId: '%E0%A4%A' });
  });

  it('skips empty segments', () => {
    expect(matchPath('/calls/id/:callId', '//calls//id/abc/')).toEqual({ callId: 'abc' });
  });

  it('does not match with a segment more, a segment fewer or another word', () => {
    expect(matchPath('/calls/id/:callId', '/calls/id/abc/leg')).toBeUndefined();
    expect(matchPath('/calls/id/:callId', '/calls/id')).toBeUndefined();
    expect(matchPath('/calls/id/:callId', '/calls/ID/abc')).toBeUndefined();
    expect(matchPath('/callouts', '')).toBeUndefined();
  });

  it('takes any further segments after a last *, or none', () => {
    expect(matchPath('/calls/id/:callId/*', '/calls/id/abc')).toEqual({ callId: 'abc' });
    expect(matchPath('/calls/id/:callId/*', '/calls/id/abc/leg/caller/more')).toEqual({ callId: 'abc' });
    expect(matchPath('/calls/id/:callId/*', '/calls/id')).toBeUndefined();
  });
});

describe('findRoute and belowBasePath', () => {
  it('finds a row only for its method', async () => {
    expect(await handlerFor('DELETE', '/calling/v1/conferences/id/standup')).toBe('kickAll');
    expect(await handlerFor('PATCH', '/calling/v1/conferences/id/standup')).toBeUndefined();
  });

  it('knows the region of each base path, and no path outside them', () => {
    expect(belowBasePath('/calling/v1/callouts')).toEqual({ path: '/callouts', region: undefined });
    expect(belowBasePath('/v1')).toEqual({ path: '', region: undefined });
    expect(belowBasePath(`${REGION_B_PREFIX}/calls/id/abc`)).toEqual({ path: '/calls/id/abc', region: 'b' });
    expect(belowBasePath('/v1x/callouts')).toBeUndefined();
    expect(belowBasePath('/calling/callouts')).toBeUndefined();
  });
});

describe('answers that do not depend on the table’s shape', () => {
  const app = { key: KEY, secret: 'secret' };

  async function sandboxApi() {
    const state = new SandboxState(app, { answerAfterMs: 0, ttsDurationMs: 60_000 }, () => 0);
    const route = createSandboxApi(state, app, new SandboxCallbacks(state, app));
    const callout = { method: 'conferenceCallout', conferenceCallout: { destination: { type: 'number', endpoint: '+46708168731' }, conferenceId: 'room' } };
    const { body } = await route('POST', '/calling/v1/callouts', callout);
    return { route, callId: (body as { callId: string }).callId };
  }

  async function answer(method: string, path: string): Promise<string> {
    const { route, callId } = await sandboxApi();
    try {
      return String((await route(method, path.replace('{call}', callId), undefined)).status);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return `${error.status} ${error.message.replace(callId, '{call}')}`;
    }
  }

  it.each([
    ['GET', '/v2/calls/id/x', '404 Route not found'],
    ['PUT', '/v1/configuration/numbers', '404 Route PUT /v1/configuration/numbers not found'],
    ['PUT', '/calling/v1/calls/id/nosuch', '404 Call not found'],
    ['GET', '/calling/v1/calls/id/nosuch/any/thing', '404 Call not found'],
    ['PUT', '/calling/v1/calls/id/{call}', '404 Route PUT /calling/v1/calls/id/{call} not found'],
    ['PATCH', '/calling/v1/calls/id/{call}/leg/nobody', '404 Route PATCH /calling/v1/calls/id/{call}/leg/nobody not found'],
    ['GET', '/v1/calls/id/{call}', '200'],
    ['GET', `${REGION_B_PREFIX}/calls/id/{call}`, '404 Call not found'],
    ['PUT', '/v1/configuration/callbacks/applications/other-key', '400 Invalid Application Key'],
    ['PUT', `/v1/configuration/callbacks/applications/${KEY}`, `404 Route PUT /v1/configuration/callbacks/applications/${KEY} not found`],
    ['GET', '/calling/v1/conferences/id/room/nosuch', '404 Conference participant not found'],
    ['PUT', '/calling/v1/conferences/id/room/{call}', '404 Route PUT /calling/v1/conferences/id/room/{call} not found'],
    ['GET', '/calling/v1/conferences/id/nosuch', '404 Conference not found'],
    ['PATCH', '/calling/v1/conferences/id/nosuch', '404 Route PATCH /calling/v1/conferences/id/nosuch not found'],
    ['DELETE', '/calling/v1/conferences/id/%72oom', '204'],
    // A room lives on the region of its calls, as a call does.
    ['GET', `${REGION_B_PREFIX}/conferences/id/room`, '404 Conference not found'],
    ['DELETE', `${REGION_B_PREFIX}/conferences/id/room`, '404 Conference not found'],
    ['PATCH', `${REGION_B_PREFIX}/conferences/id/room/{call}`, '404 Conference participant not found'],
    ['DELETE', `${REGION_B_PREFIX}/conferences/id/room/{call}`, '404 Conference participant not found'],
  ])('%s %s: %s', async (method, path, expected) => {
    expect(await answer(method, path)).toBe(expected);
  });
});
