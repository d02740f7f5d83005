// The simulated Calling API: a handler for every v1 route of the table in routes.ts, answered from the
// sandbox's state with Sinch-shaped errors.
// The HTTP server (server.ts) authenticates and records requests, then hands them here.
import type { SandboxCallbacks } from './callbacks.js';
import { describeNumber, ratePerMinute } from './rates.js';
import { type RouteRequest, type RouteResult, belowBasePath, findRoute, matchPath, sandboxRoutes } from './routes.js';
import type { SandboxApp, SandboxState, SimCall } from './state.js';
import { readSipAddress } from '../support/sip.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly statusName: string,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpError(404, 'ResourceNotFound', 40400, `${what} not found`);
const invalid = (message: string) => new HttpError(400, 'ParameterValidation', 40001, message);
const missing = (message: string) => new HttpError(400, 'MissingParameter', 40002, message);

export function createSandboxApi(state: SandboxState, app: SandboxApp, callbacks: SandboxCallbacks) {
  const table = sandboxRoutes({
    knownApplication,
    knownCall: findCall,
    knownParticipant: findParticipant,
    listNumbers,
    assignNumbers,
    unassignNumber,
    getCallbackUrls,
    updateCallbackUrls,
    queryNumber,
    callout,
    getCall,
    manageCall,
    manageCallLeg,
    getConference,
    kickAll,
    manageParticipant,
    kickParticipant,
  });

  async function route(method: string, fullPath: string, body: unknown): Promise<RouteResult> {
    const below = belowBasePath(fullPath);
    if (!below) throw notFound('Route');
    const { path, region } = below;
    for (const { path: pattern, check } of table.checks) {
      const params = matchPath(pattern, path);
      if (params) check({ params, body, region });
    }
    const found = findRoute(table.routes, method, path);
    if (!found) throw notFound(`Route ${method} ${fullPath}`);
    return found.route.handle({ params: found.params, body, region });
  }

  function knownApplication({ params }: RouteRequest): void {
    checkApplicationKey(params.applicationKey);
  }

  function findCall({ params, region }: RouteRequest): SimCall {
    const call = state.calls.get(params.callId);
    // A call lives on one region: asked on another, Sinch does not know it.
    if (!call || call.region !== region) throw notFound('Call');
    return call;
  }

  function findParticipant({ params, region }: RouteRequest): SimCall {
    const call = state.participants(params.conferenceId, region).find((p) => p.callId === params.callId);
    if (!call) throw notFound('Conference participant');
    return call;
  }

  /** Who is in the conference, when Sinch knows it on this region (it has had a participant there). */
  function conferenceParticipants({ params, region }: RouteRequest): SimCall[] {
    if (!state.knowsRoom(params.conferenceId, region)) throw notFound('Conference');
    return state.participants(params.conferenceId, region);
  }

  function checkApplicationKey(key: string): void {
    if (key !== app.key) throw new HttpError(400, 'InvalidRequest', 40003, 'Invalid Application Key');
  }

  function listNumbers(): RouteResult {
    return { status: 200, body: { numbers: state.numbers.map((x) => ({ ...x })) } };
  }

  function getCallbackUrls(): RouteResult {
    return { status: 200, body: { url: { ...state.callbacks } } };
  }

  async function queryNumber({ params }: RouteRequest): Promise<RouteResult> {
    const info = await describeNumber(params.number);
    if (!info) throw invalid('Invalid number specified');
    return { status: 200, body: { method: 'numberItem', number: info } };
  }

  function getCall(request: RouteRequest): RouteResult {
    return { status: 200, body: callResult(findCall(request)) };
  }

  function manageCall(request: RouteRequest): RouteResult {
    applySvaml(findCall(request), request.body);
    return { status: 204 };
  }

  function manageCallLeg(request: RouteRequest): RouteResult {
    applySvaml(findCall(request), request.body, true);
    return { status: 200 };
  }

  function getConference(request: RouteRequest): RouteResult {
    return { status: 200, body: { participants: conferenceParticipants(request).map(participantView) } };
  }

  function kickAll(request: RouteRequest): RouteResult {
    for (const call of conferenceParticipants(request)) end(call);
    return { status: 204 };
  }

  function kickParticipant(request: RouteRequest): RouteResult {
    end(findParticipant(request));
    return { status: 200 };
  }

  /** A manager ended the call (kick, hang-up): the app hears DiCE when it asked for it. */
  function end(call: SimCall): void {
    state.endCall(call, 'MANAGERHANGUP');
    callbacks.ended(call);
  }

  function assignNumbers({ body }: RouteRequest): RouteResult {
    const input = object(body);
    const numbers = input.numbers;
    if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > 100) throw missing('numbers must be a list of 1 to 100 numbers');
    const key = stringField(input, 'applicationkey') ?? stringField(input, 'applicationKey') ?? app.key;
    checkApplicationKey(key);
    const capability = stringField(input, 'capability') ?? 'voice';
    const owned = numbers.map((value) => {
      const found = state.numbers.find((x) => x.number === value);
      if (!found) throw invalid(`Unable to update numbers: ${String(value)} is not a number of this account`);
      if (found.capability !== capability) throw invalid(`Unable to update numbers: ${found.number} does not support ${capability}`);
      return found;
    });
    for (const found of owned) found.applicationkey = key;
    return { status: 204 };
  }

  function unassignNumber({ body }: RouteRequest): RouteResult {
    const input = object(body);
    const number = stringField(input, 'number');
    if (!number) throw missing('number is required');
    const key = stringField(input, 'applicationkey') ?? stringField(input, 'applicationKey') ?? app.key;
    checkApplicationKey(key);
    const found = state.numbers.find((x) => x.number === number);
    if (!found) throw invalid(`Unable to update numbers: ${number} is not a number of this account`);
    if (found.applicationkey !== key) throw invalid(`Unable to update numbers: ${number} is not assigned to this application`);
    delete found.applicationkey;
    return { status: 204 };
  }

  function updateCallbackUrls({ body }: RouteRequest): RouteResult {
    const urls = object(object(body).url);
    const primary = stringField(urls, 'primary');
    if (!primary) throw missing('url.primary is required');
    state.callbacks = { primary, ...(stringField(urls, 'fallback') ? { fallback: stringField(urls, 'fallback') } : {}) };
    return { status: 204 };
  }

  function callout({ body, region }: RouteRequest): RouteResult {
    const input = object(body);
    const method = input.method;
    if (method !== 'ttsCallout' && method !== 'conferenceCallout') {
      throw invalid('Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout` (the sandbox simulates the first two)');
    }
    const details = object(input[method]);
    const destination = object(details.destination);
    const type = String(destination.type ?? '').toLowerCase();
    const endpoint = stringField(destination, 'endpoint');
    if (!endpoint) throw missing(`${method}.destination.endpoint is required`);
    if (type !== 'number' && type !== 'username' && type !== 'sip') throw invalid(`${method}.destination.type must be number, username or sip`);
    if (type === 'number' && !endpoint.startsWith('+')) throw new HttpError(400, 'NumberMissingLeadingPlus', 40005, 'Phone number missing leading plus sign');
    if (type === 'number' && !/^\+[1-9]\d{1,14}$/.test(endpoint)) throw invalid('destination.endpoint is not an E.164 number');
    if (type === 'sip') checkSipEndpoint(endpoint);
    for (const flag of ['enableAce', 'enableDice', 'enablePie']) {
      if (details[flag] !== undefined && typeof details[flag] !== 'boolean') throw invalid(`${method}.${flag} must be true or false`);
    }
    const cli = stringField(details, 'cli') ?? 'private';
    const custom = stringField(details, 'custom');
    if (custom !== undefined && custom.length > 1024) throw invalid('custom is limited to 1024 characters');
    const dtmf = details.dtmf === undefined ? undefined : checkDtmf(details.dtmf, 'dtmf');
    const rate = ratePerMinute(undefined, 'Mobile');
    const flags = { enableAce: details.enableAce === true, enableDice: details.enableDice === true, region, dtmf };
    if (method === 'ttsCallout') {
      const text = stringField(details, 'text') ?? stringField(details, 'prompts');
      if (!text) throw missing('ttsCallout needs text or prompts');
      if (text.length > 600) throw invalid('text and prompts are limited to 600 characters');
      const call = state.createCall({ kind: 'tts', cli, destination: { type, endpoint }, custom, ratePerMinute: rate, liveMs: state.timing.ttsDurationMs, ...flags });
      callbacks.track(call);
      return { status: 200, body: { callId: call.callId } };
    }
    const conferenceId = stringField(details, 'conferenceId');
    if (!conferenceId) throw missing('conferenceCallout.conferenceId is required');
    if (conferenceId.length > 64) throw invalid('conferenceId is limited to 64 characters');
    const maxDuration = typeof details.maxDuration === 'number' ? details.maxDuration : undefined;
    const mohClass = stringField(details, 'mohClass');
    if (mohClass !== undefined && !MOH.includes(mohClass)) throw invalid(`mohClass must be one of ${MOH.join(', ')}`);
    const conferenceDtmfOptions = details.conferenceDtmfOptions === undefined ? undefined : dtmfOptions(details.conferenceDtmfOptions);
    const call = state.createCall({
      kind: 'conference',
      cli,
      destination: { type, endpoint },
      conferenceId,
      custom,
      ratePerMinute: rate,
      liveMs: maxDuration === undefined ? undefined : maxDuration * 1000,
      // With ACE, the room and its hold music come from the app's connectConf answer instead (as at Sinch).
      moh: flags.enableAce && state.callbacks.primary ? undefined : mohClass,
      conferenceDtmfOptions,
      ...flags,
    });
    callbacks.track(call);
    return { status: 200, body: { callId: call.callId } };
  }

  function applySvaml(call: SimCall, body: unknown, onLeg = false): void {
    const svaml = object(body);
    const action = object(svaml.action);
    if (!['hangup', 'continue', 'park'].includes(String(action.name))) throw invalid('action.name must be hangup, continue or park');
    const instructions = svaml.instructions ?? [];
    if (!Array.isArray(instructions)) throw invalid('instructions must be a list');
    const allowed = ['playFiles', 'say', 'sendDtmf', 'setCookie', 'answer', 'startRecording', 'stopRecording'];
    let recording: SimCall['recording'];
    for (const instruction of instructions) {
      const item = object(instruction);
      const name = String(item.name);
      if (!allowed.includes(name)) throw invalid(`instruction name must be one of ${allowed.join(', ')}`);
      // A call leg only decides where say and playFiles are heard.
      if (onLeg && name !== 'say' && name !== 'playFiles') throw invalid(`${name} cannot be sent to a call leg; only say and playFiles can`);
      if (name === 'playFiles') checkPlayFiles(item);
      if (name === 'sendDtmf') checkDtmf(item.value, 'sendDtmf.value');
      if (name === 'startRecording') recording = recordingOptions(item);
    }
    if (state.view(call).state === 'ended') throw notFound('Call');
    if (recording) call.recording = recording;
    for (const instruction of instructions) if (object(instruction).name === 'sendDtmf') call.tonesSent.push(String(object(instruction).value));
    if (instructions.some((i) => object(i).name === 'stopRecording')) delete call.recording;
    if (action.name === 'hangup') end(call);
  }

  function manageParticipant(request: RouteRequest): RouteResult {
    const call = findParticipant(request);
    const input = object(request.body);
    const command = input.command;
    const moh = stringField(input, 'moh');
    if (moh !== undefined && (command !== 'onhold' || !MOH.includes(moh))) throw invalid(`moh is allowed only with onhold, as one of ${MOH.join(', ')}`);
    if (command === 'mute') call.muted = true;
    else if (command === 'unmute') call.muted = false;
    else if (command === 'onhold') {
      call.onhold = true;
      call.moh = moh;
    } else if (command === 'resume') call.onhold = false;
    else throw invalid('command must be mute, unmute, onhold or resume');
    return { status: 200 };
  }

  function callResult(call: SimCall): Record<string, unknown> {
    const view = state.view(call);
    const minutes = Math.ceil(view.durationSeconds / 60);
    return {
      from: { type: 'number', endpoint: call.cli },
      to: { ...call.destination },
      domain: 'pstn',
      callId: call.callId,
      duration: view.durationSeconds,
      status: view.state === 'ended' ? 'FINAL' : 'ONGOING',
      result: view.result,
      reason: view.reason,
      timestamp: new Date(call.createdAt).toISOString(),
      ...(call.custom !== undefined ? { custom: call.custom } : {}),
      userRate: { currencyId: 'USD', amount: call.ratePerMinute },
      debit: { currencyId: 'USD', amount: Number((minutes * call.ratePerMinute).toFixed(4)) },
    };
  }

  function participantView(call: SimCall): Record<string, unknown> {
    return {
      // The participant's own number: the callee of a callout, the caller of a dial-in.
      cli: call.kind === 'incoming' ? call.cli : call.destination.endpoint,
      id: call.callId,
      duration: state.view(call).durationSeconds,
      muted: call.muted,
      onhold: call.onhold,
    };
  }

  return route;
}

const MOH = ['ring', 'music1', 'music2', 'music3'];

/** Sinch needs a locale to speak #tts[...] and #ssml[...] prompts. */
function checkPlayFiles(item: Record<string, unknown>): void {
  const ids = item.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) throw invalid('playFiles.ids must be a list of prompts');
  const spoken = ids.some((id: string) => /^#(tts|ssml)\[/.test(id.trim()));
  if (spoken && !stringField(item, 'locale')) throw missing('playFiles.locale is required for #tts and #ssml prompts');
}

/** startRecording needs where to store the file and the credentials to store it with. */
function recordingOptions(item: Record<string, unknown>): SimCall['recording'] {
  const options = item.options === undefined ? {} : object(item.options);
  const destinationUrl = stringField(options, 'destinationUrl');
  if (!destinationUrl || !stringField(options, 'credentials')) throw missing('startRecording.options needs destinationUrl and credentials');
  const transcription = options.transcriptionOptions === undefined ? undefined : transcriptionOptions(options.transcriptionOptions);
  return { destinationUrl, format: stringField(options, 'format') ?? 'mp3', ...(transcription ? { transcription } : {}) };
}

/** transcriptionOptions: enabled is a boolean, and the locale, when given, a language-region code such as en-US. */
function transcriptionOptions(value: unknown): { enabled: boolean; locale?: string } {
  const options = object(value);
  if (typeof options.enabled !== 'boolean') throw invalid('startRecording.options.transcriptionOptions.enabled must be true or false');
  const locale = options.locale;
  if (locale !== undefined && (typeof locale !== 'string' || !/^[a-z]{2,3}-[A-Z]{2}$/.test(locale))) {
    throw invalid('startRecording.options.transcriptionOptions.locale must be a language-region code such as en-US');
  }
  return locale === undefined ? { enabled: options.enabled } : { enabled: options.enabled, locale };
}

/** Tones as Sinch documents them: 0-9, # and w (a 0.5 s pause); nothing else, and never empty. */
function checkDtmf(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9#w]+$/.test(value)) throw invalid(`${field} may contain only 0-9, # and w`);
  return value;
}

/** A SIP destination is user@host[:port], as in Sinch's reference: no scheme, parameters or IPv6 literal. */
function checkSipEndpoint(endpoint: string): void {
  const address = /^sip:/i.test(endpoint) ? 'the endpoint carries no sip: scheme' : readSipAddress(endpoint);
  if (typeof address === 'string') throw invalid(`destination.endpoint is not a SIP address (user@host): ${address}`);
}

function dtmfOptions(value: unknown): Record<string, unknown> {
  const options = object(value);
  if (options.mode !== undefined && !['ignore', 'forward', 'detect'].includes(String(options.mode))) throw invalid('conferenceDtmfOptions.mode must be ignore, forward or detect');
  for (const key of ['maxDigits', 'timeoutMills']) {
    if (options[key] !== undefined && !Number.isInteger(options[key])) throw invalid(`conferenceDtmfOptions.${key} must be an integer`);
  }
  return { ...options };
}

function object(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'InvalidRequest', 40003, 'Request data missing or not an object');
  return value as Record<string, unknown>;
}

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
