// The sandbox's Number Lookup v2 and its OAuth2 token endpoint, as strict as Sinch: a token only for the
// project's access key (basic auth, grant_type=client_credentials, form-encoded), a lookup only with a live
// token of that project, an E.164 number that is valid, and features Sinch knows. The facts are made up but
// stable per number (carrier names say "Sandbox"), so tests and demos can rely on them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { basicAuthorization, safeEqual } from '../sinch/signing.js';
import type { ProjectCredentials } from '../sinch/credentials.js';
import { matchPath } from './routes.js';
import { describeNumber } from './rates.js';

export interface LookupAnswer {
  status: number;
  body: unknown;
}

export const TOKEN_PATH = '/oauth2/token';
const LOOKUP_PATH = '/v2/projects/:projectId/lookups';
const FEATURES = ['LineType', 'SimSwap', 'VoIPDetection', 'RND'];
const BODY_KEYS = new Set(['number', 'features', 'rndFeatureOptions']);
const MCC: Record<string, string> = { SE: '240', US: '310', GB: '234', DE: '262', FR: '208', NO: '242', DK: '238', FI: '244', NL: '204', CA: '302' };

/** A project access key drawn at random: what the sandbox accepts unless it is given one (sandbox mode with SINCH_PROJECT_ID…). */
export function randomProject(): ProjectCredentials {
  return { projectId: randomUUID(), keyId: randomUUID(), keySecret: randomBytes(24).toString('base64url') };
}

export class SandboxLookup {
  private readonly tokens = new Map<string, number>();

  constructor(
    readonly project: ProjectCredentials,
    private readonly now: () => number,
    /** Seconds a token lives (Sinch: 3600). */
    private readonly tokenLifeS = 3600,
  ) {}

  /** True for the paths this part answers (everything else is the Calling API's). */
  owns(path: string): boolean {
    return path === TOKEN_PATH || path.startsWith('/v2/projects/');
  }

  async answer(method: string, path: string, headers: IncomingHttpHeaders, raw: string): Promise<LookupAnswer> {
    if (path === TOKEN_PATH) return method === 'POST' ? this.token(headers, raw) : oauthError(405, 'invalid_request', 'POST only');
    const params = matchPath(LOOKUP_PATH, path);
    if (!params) return problem(404, 'Not Found', `no route ${path}`);
    if (method !== 'POST') return problem(405, 'Method Not Allowed', 'POST only');
    return this.lookup(params.projectId!, headers, raw);
  }

  private token(headers: IncomingHttpHeaders, raw: string): LookupAnswer {
    if (!String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    const expected = basicAuthorization(this.project.keyId, this.project.keySecret);
    if (!safeEqual(headers.authorization ?? '', expected)) return oauthError(401, 'invalid_client', 'client authentication failed');
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + this.tokenLifeS * 1000);
    return { status: 200, body: { access_token: token, expires_in: this.tokenLifeS, scope: '', token_type: 'bearer' } };
  }

  private async lookup(projectId: string, headers: IncomingHttpHeaders, raw: string): Promise<LookupAnswer> {
    const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    const expires = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (expires === undefined || expires <= this.now()) return problem(401, 'Unauthorized', 'missing, unknown or expired access token');
    if (projectId !== this.project.projectId) return problem(403, 'Forbidden', 'the access token does not belong to this project');
    if (!String(headers['content-type'] ?? '').startsWith('application/json')) return problem(415, 'Unsupported Media Type', 'the body must be application/json');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return problem(400, 'Bad Request', 'the body is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return problem(400, 'Bad Request', 'the body must be an object');
    const unknownKey = Object.keys(body).find((key) => !BODY_KEYS.has(key));
    if (unknownKey) return problem(400, 'Bad Request', `unknown field ${unknownKey}`);
    const { number, features = ['LineType'], rndFeatureOptions } = body as { number?: unknown; features?: unknown; rndFeatureOptions?: unknown };
    if (typeof number !== 'string' || !/^\+[1-9]\d{1,14}$/.test(number)) return problem(400, 'Bad Request', 'number must be an MSISDN in E.164 format, e.g. +46701234567');
    if (!Array.isArray(features) || features.some((f) => typeof f !== 'string' || !FEATURES.includes(f))) return problem(400, 'Bad Request', `features must be a list of ${FEATURES.join(', ')}`);
    if (features.includes('RND') && typeof (rndFeatureOptions as { contactDate?: unknown } | undefined)?.contactDate !== 'string') {
      return problem(400, 'Bad Request', 'rndFeatureOptions.contactDate is required with RND');
    }
    const info = await describeNumber(number);
    if (!info) return problem(400, 'Bad Request', `${number} is not a valid number`);
    const traceId = randomUUID();
    const odd = Number(number.at(-1)) % 2 === 1;
    const answer: Record<string, unknown> = { countryCode: info.countryId, traceId, number };
    if (features.includes('LineType')) {
      answer.line = {
        carrier: `Sandbox ${info.numberType === 'Mobile' ? 'Mobile' : 'Telecom'} ${info.countryId}`,
        type: info.numberType === 'Fixed' ? 'Landline' : info.numberType === 'Mobile' ? 'Mobile' : 'Other',
        mobileCountryCode: info.numberType === 'Mobile' ? MCC[info.countryId] : undefined,
        mobileNetworkCode: info.numberType === 'Mobile' && MCC[info.countryId] ? '01' : undefined,
        ported: odd,
        portingDate: odd ? '2021-05-04T00:00:00Z' : undefined,
      };
    }
    if (features.includes('VoIPDetection')) answer.voIPDetection = { probability: info.numberType === 'Other' ? 'Likely' : 'Low' };
    if (features.includes('SimSwap')) answer.simSwap = { swapped: false, swapPeriod: 'Undefined' };
    if (features.includes('RND')) answer.rnd = { disconnected: false };
    return { status: 200, body: answer };
  }
}

function problem(status: number, title: string, detail: string): LookupAnswer {
  return { status, body: { type: `https://httpstatuses.io/${status}`, title, status, detail, traceId: randomUUID() } };
}

function oauthError(status: number, error: string, description: string): LookupAnswer {
  return { status, body: { error, error_description: description } };
}
