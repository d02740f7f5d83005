// Sinch Number Lookup API v2, with a project access key: POST {lookupUrl}/v2/projects/{projectId}/lookups with
// {number, features}, authorised by a bearer token from the OAuth2 client-credentials endpoint
// ({authUrl}/oauth2/token, basic auth with the key id and secret). Shapes as in Sinch's Number Lookup reference
// and its Node SDK (@sinch/number-lookup 1.5.0, models/v2: NumberLookupRequest, LineResponse,
// VoIPDetectionResponse; @sinch/sdk-client plugins/oauth2). Loaded only when project credentials are set.
// Sent over the Calling client's connection pool; a lookup is billed, so it is never retried except once after
// a 401, which did nothing.
import type { Dispatcher } from 'undici';
import { type SinchClient, abortDetails, networkDetails } from './client.js';
import type { ProjectCredentials } from './credentials.js';
import { deadline } from './deadline.js';
import { CredentialsError, type SinchErrorDetails, parseErrorBody } from './errors.js';
import { AccessTokens, type IssuedToken } from './oauth.js';
import { basicAuthorization } from './signing.js';
import { number, record, text } from './read.js';

export const LOOKUP_URL = 'https://lookup.api.sinch.com';
export const AUTH_URL = 'https://auth.sinch.com';
/** What lookup_number adds: carrier, line type and porting (LineType), and VoIP detection. */
export const LOOKUP_FEATURES = ['LineType', 'VoIPDetection'] as const;

const KEY_HINT = 'check SINCH_KEY_ID and SINCH_KEY_SECRET: an access key of the project SINCH_PROJECT_ID names (Sinch dashboard, Settings, Access Keys)';

/** Number Lookup failed for a reason other than the credentials: the free lookup still answers, with this as a note. */
export class LookupUnavailable extends Error {}

interface Answer {
  status: number;
  text: string;
}

export class NumberLookup {
  private readonly tokens: AccessTokens;

  constructor(
    private readonly client: SinchClient,
    private readonly project: ProjectCredentials,
    now: () => number = Date.now,
  ) {
    this.tokens = new AccessTokens(() => this.issueToken(), now);
  }

  /** Sinch's answer for this E.164 number, as sent (the tool reads it). */
  async lookup(e164: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const path = `/v2/projects/${encodeURIComponent(this.project.projectId)}/lookups`;
    const body = JSON.stringify({ number: e164, features: LOOKUP_FEATURES });
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      const answer = await this.post('lookupUrl', LOOKUP_URL, path, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body, signal);
      if (answer.status === 401 && attempt === 1) {
        // A token refused before its time (revoked, clocks apart): one new token, once.
        this.tokens.drop(token);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return parsed(answer, path);
      if (answer.status === 401) throw new CredentialsError(`Sinch Number Lookup refused the access token issued for the project key (401): ${KEY_HINT}.`);
      if (answer.status === 403) {
        throw new CredentialsError(`Sinch Number Lookup refused project ${this.project.projectId} (403 ${problem(answer)}): check SINCH_PROJECT_ID is the project the access key belongs to, and that Number Lookup is enabled for it.`);
      }
      throw new LookupUnavailable(`Number Lookup answered ${answer.status} (${problem(answer)})`);
    }
  }

  private async issueToken(): Promise<IssuedToken> {
    const path = '/oauth2/token';
    const answer = await this.post('authUrl', AUTH_URL, path, { authorization: basicAuthorization(this.project.keyId, this.project.keySecret), 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
    if (answer.status === 400 || answer.status === 401) throw new CredentialsError(`Sinch's token endpoint refused the project access key (${answer.status} ${problem(answer)}): ${KEY_HINT}.`);
    if (answer.status < 200 || answer.status >= 300) throw new LookupUnavailable(`Sinch's token endpoint answered ${answer.status} (${problem(answer)})`);
    const token = parsed(answer, path);
    const value = text(token.access_token);
    const expiresInS = number(token.expires_in);
    if (!value || expiresInS === undefined || expiresInS <= 0) throw new LookupUnavailable("Sinch's token endpoint answered without an access_token and expires_in");
    return { value, expiresInS };
  }

  /** One POST on the shared pool, within the client's deadline; network failures and timeouts become LookupUnavailable. */
  private async post(which: 'lookupUrl' | 'authUrl', fallback: string, path: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<Answer> {
    const { dispatcher, settings } = await this.client.shared();
    const url = new URL(`${settings[which] ?? fallback}${path}`);
    const limit = deadline(settings.timeoutMs, signal);
    try {
      return await send(dispatcher, url, { ...headers, accept: 'application/json' }, body, limit.signal);
    } catch (error) {
      const where = { method: 'POST' as const, path };
      const failure: SinchErrorDetails = limit.signal.aborted ? abortDetails(where, limit, settings.timeoutMs) : networkDetails(where, error, settings.timeoutMs);
      throw new LookupUnavailable(`${url.host} did not answer (${failure.kind}: ${failure.message})`);
    } finally {
      limit.release();
    }
  }
}

async function send(dispatcher: Dispatcher, url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<Answer> {
  const response = await dispatcher.request({ origin: url.origin, path: url.pathname, method: 'POST', headers, body, signal });
  return { status: response.statusCode, text: await response.body.text() };
}

function parsed(answer: Answer, path: string): Record<string, unknown> {
  try {
    return record(JSON.parse(answer.text));
  } catch {
    throw new LookupUnavailable(`${path} answered ${answer.status} with a body that is not JSON`);
  }
}

/** The problem's title or detail (RFC 7807, as Number Lookup answers), or OAuth's error; never a header. */
function problem(answer: Answer): string {
  const body = (() => {
    try {
      return record(JSON.parse(answer.text));
    } catch {
      return {};
    }
  })();
  return text(body.detail) ?? text(body.title) ?? text(body.error_description) ?? text(body.error) ?? parseErrorBody(answer.text, answer.status).message;
}
