// Typed failures of a Sinch request and the advice an agent can act on.

export type FailureKind = 'http' | 'timeout' | 'network' | 'aborted' | 'invalid_response';

export interface SinchErrorDetails {
  kind: FailureKind;
  method: string;
  path: string;
  status?: number;
  errorCode?: string;
  message: string;
  reference?: string;
  /** Milliseconds the server asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
}

export class SinchApiError extends Error {
  readonly details: SinchErrorDetails;
  constructor(details: SinchErrorDetails) {
    super(describeFailure(details));
    this.name = 'SinchApiError';
    this.details = details;
  }
}

/** Sinch refused credentials the operator must fix; the message names the variables, never their secret values. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** Refused before anything was sent: the input is wrong and the message says how. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

// What the seed's error codes, and today's common ones, mean for someone who must decide what to do next.
const CODE_ADVICE: Record<string, string> = {
  '40001': 'Sinch rejected a parameter (illegal value). Check the fields against the tool description and try again.',
  '40002': 'A required parameter is missing in the request to Sinch.',
  '40003': 'Sinch considers the request invalid (for example an unknown application key or malformed body).',
  '40005': 'A phone number is missing its leading plus: give numbers in E.164 form such as +46701234567.',
  '40100': 'The Authorization header was refused. Check SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET.',
  '40101': 'The x-timestamp header was refused: check that this machine’s clock is correct.',
  '40102': 'The request signature is invalid. Check SINCH_APPLICATION_SECRET (the base64 secret from the dashboard) and SINCH_AUTH.',
  '40105': 'The signed request expired: check that this machine’s clock is correct.',
  '40107': 'Wrong kind of authentication or wrong key/secret. Check SINCH_AUTH, SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET.',
  '40108': 'Invalid credentials. Check SINCH_APPLICATION_KEY and SINCH_APPLICATION_SECRET.',
  '40200': 'The Sinch account has not enough credit: top it up in the dashboard before calling out.',
  '40300': 'Sinch forbids this destination for this account (check the account’s allowed countries).',
  '40301': 'This authorization scheme may not call this method. Try SINCH_AUTH=signed.',
  '40400': 'Not found: the call or conference may have ended already, or the id is wrong. Check the id or list current state first.',
  '42900': 'Sinch rate limit (capacity) reached: slow down and retry in a few seconds.',
  '42901': 'Sinch rate limit (velocity) reached: slow down and retry in a few seconds.',
  '50000': 'Sinch had an internal error. Retrying later may work; for a callout, check get_call_result first so nobody is called twice.',
  '50300': 'Sinch is temporarily unavailable. Retry later.',
};

const STATUS_ADVICE: Record<number, string> = {
  400: 'Sinch rejected the request as invalid; check the fields and try again.',
  401: 'Sinch refused the credentials. Check SINCH_APPLICATION_KEY, SINCH_APPLICATION_SECRET and SINCH_AUTH.',
  402: 'The Sinch account has not enough credit.',
  403: 'The credentials may not do this. Check the application’s permissions in the Sinch dashboard.',
  404: 'Not found: the call or conference may have ended already, or the id is wrong.',
  409: 'Sinch reports a conflict with the current state; read the current state and try again.',
  429: 'Sinch rate limit reached: slow down and retry in a few seconds.',
  500: 'Sinch had an internal error. Retry later.',
  502: 'Sinch (or a proxy) returned a bad gateway. Retry later.',
  503: 'Sinch is temporarily unavailable. Retry later.',
  504: 'Sinch (or a proxy) timed out. Retry later.',
};

// A write that failed in transit may still have reached Sinch: never suggest a blind retry.
const MAYBE_HAPPENED = 'The action may or may not have happened: read the state (get_call_result, get_conference, list_numbers) before trying again.';

/** Whether a failed request may still have been carried out by Sinch (a refusal, 4xx, was not). */
export function mayHaveHappened(details: Pick<SinchErrorDetails, 'kind' | 'status'> & { message?: string }): boolean {
  const { kind, status, message = '' } = details;
  if (kind === 'http') return (status ?? 0) >= 500; // a 5xx may come after the work was done
  if (kind === 'network') return !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|CERT|SELF_SIGNED/.test(message);
  return kind === 'timeout' || kind === 'aborted' || kind === 'invalid_response';
}

export function adviceFor(details: Pick<SinchErrorDetails, 'kind' | 'status' | 'errorCode' | 'method'> & { message?: string }): string {
  // A write whose outcome is unknown is never told to "retry later": it may have happened already.
  if (details.method !== 'GET' && mayHaveHappened(details)) return `${UNKNOWN_WRITE[details.kind]} ${MAYBE_HAPPENED}`;
  return adviceByKind(details);
}

/** What went wrong with a write whose outcome is unknown, before the advice to read the state first. */
const UNKNOWN_WRITE: Record<FailureKind, string> = {
  http: 'Sinch failed with a server error, possibly after doing the work.',
  timeout: 'Sinch did not answer in time (SINCH_TIMEOUT_MS).',
  network: 'The connection to Sinch broke before its answer arrived.',
  aborted: 'The request was cancelled after it was sent.',
  invalid_response: 'Sinch accepted the request (HTTP 2xx), so it most likely happened, but its answer could not be read.',
};

function adviceByKind(details: Pick<SinchErrorDetails, 'kind' | 'status' | 'errorCode' | 'method'>): string {
  switch (details.kind) {
    case 'timeout':
      return 'Sinch did not answer in time (SINCH_TIMEOUT_MS). Retry later.';
    case 'network':
      // A write lands here only when the connection was never made (refused, no DNS, bad certificate): nothing was sent.
      return 'The connection to Sinch failed (network error). Check connectivity and SINCH_REGION / SINCH_CALLING_URL.';
    case 'aborted':
      return 'The request was cancelled before Sinch answered.';
    case 'invalid_response':
      return 'Sinch answered with a body that is not valid JSON. Retry later; if it persists, check SINCH_CALLING_URL / SINCH_MANAGEMENT_URL.';
    case 'http':
      return (
        (details.errorCode ? CODE_ADVICE[details.errorCode] : undefined) ??
        (details.status !== undefined ? STATUS_ADVICE[details.status] : undefined) ??
        'Sinch returned an unexpected status.'
      );
  }
}

export function describeFailure(details: SinchErrorDetails): string {
  const head =
    details.kind === 'http'
      ? `Sinch answered ${details.status}${details.errorCode ? ` (errorCode ${details.errorCode})` : ''}: ${details.message}`
      : `Sinch request failed (${details.kind}): ${details.message}`;
  const ref = details.reference ? ` [reference ${details.reference}]` : '';
  return `${head}${ref}. ${adviceFor(details)}`;
}

/** Reads Sinch's error body in any of its shapes: today's, the legacy one, empty, HTML or other text. */
export function parseErrorBody(text: string, status: number): Pick<SinchErrorDetails, 'errorCode' | 'message' | 'reference'> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      const code = body.errorCode ?? body.error_code ?? body.code;
      const message = body.message ?? body.errorMessage ?? body.error ?? body.status;
      return {
        errorCode: typeof code === 'number' || typeof code === 'string' ? String(code) : undefined,
        message: typeof message === 'string' && message ? clip(message) : `HTTP ${status}`,
        reference: typeof body.reference === 'string' ? body.reference : undefined,
      };
    } catch {
      // fall through to plain text
    }
  }
  if (trimmed === '') return { message: `HTTP ${status} with an empty body` };
  if (/^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return { message: `HTTP ${status} with an HTML page${title ? ` ("${clip(title)}")` : ''}` };
  }
  return { message: clip(trimmed) };
}

function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
