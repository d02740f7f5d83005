import { z } from 'zod';
import { InputError } from '../sinch/errors.js';
import { type Svaml, endpoints } from '../sinch/endpoints.js';
import { readCustom } from '../sinch/custom.js';
import { HIDDEN } from '../support/redact.js';
import { type PlanContext, defineTool, shortId } from './define.js';
import { DEFAULT_LOCALE, callId, conferenceId, dtmfTones, labelRef, locale, money, spokenText, transcriptLocale, unlistedMax, unlistedNonEmpty } from './fields.js';
import { type Target, callForLabel } from './labels.js';
import type { CallRecord } from '../state/calls.js';
import { onRegion } from '../sinch/client.js';
import { definedOnly, endpoint, money as readMoney, number, record, text } from '../sinch/read.js';

/**
 * The call fields of the call tools: a callId, or a label with, when the label is in several rooms, its room
 * (conferenceId is not described: its name says it, and a label in several rooms is refused asking for it).
 */
const theCall = {
  callId: callId.optional(),
  label: labelRef.optional().describe('Or its label.'),
  conferenceId: conferenceId.optional(),
};

/** A call the arguments name, the region its requests go to (undefined: the configured calling URL) and its kind. */
type KnownCall = Target & Pick<CallRecord, 'regionBase' | 'kind'>;

/** The call the arguments name: exactly one of callId or label; conferenceId only narrows a label. */
async function callOf(args: { callId?: string; label?: string; conferenceId?: string }, ctx: PlanContext): Promise<KnownCall> {
  if ((args.callId === undefined) === (args.label === undefined)) throw new InputError('Give the callId or a label (exactly one).');
  if (args.conferenceId !== undefined && args.label === undefined) throw new InputError('conferenceId only goes with label; a callId names the call alone.');
  const target = args.label !== undefined ? await callForLabel(args.label, args.conferenceId, ctx) : { callId: args.callId! };
  // One lookup gives the label and the region (remote mode: one shared-state read per call, not two).
  const known = await ctx.calls.get(target.callId);
  return { ...target, ...(known?.label && { label: known.label }), regionBase: known?.regionBase, kind: known?.kind };
}

/** "Anna (call 4398599d1ba84ef3bde0a82dfb61abed)" or "call 4398…" in previews and summaries. */
function callNamed(call: Target, full: boolean): string {
  const id = full ? call.callId : shortId(call.callId);
  return call.label ? `${call.label} (call ${id})` : `call ${id}`;
}

export const getCallResult = defineTool({
  name: 'get_call_result',
  title: 'Get call result',
  toolset: 'calls',
  kind: 'read',
  description:
    'A call\'s state, result (ANSWERED, BUSY, NOANSWER, FAILED), end reason, duration, cost. Free. Example: "did the call to Anna connect?"',
  input: z.object(theCall),
  result: z.object({
    callId: z.string(),
    label: z.string().optional(),
    status: z.string().optional(),
    result: z.string().optional(),
    reason: z.string().optional(),
    durationSeconds: z.number().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    startedAt: z.string().optional(),
    custom: z.string().optional(),
    ratePerMinute: money.optional(),
    cost: money.optional(),
  }),
  async plan(args, ctx) {
    const call = await callOf(args, ctx);
    const { label } = call;
    return {
      request: onRegion(endpoints.getCall(call.callId), call.regionBase),
      preview: `Read ${callNamed(call, true)}`,
      read(response) {
        const r = record(response);
        const custom = typeof r.custom === 'string' ? r.custom : r.custom === undefined ? undefined : JSON.stringify(r.custom);
        const result = definedOnly({
          callId: text(r.callId) ?? call.callId,
          label,
          status: text(r.status),
          result: text(r.result),
          reason: text(r.reason),
          durationSeconds: number(r.duration),
          from: endpoint(r.from),
          to: endpoint(r.to),
          startedAt: text(r.timestamp),
          // This server's join marker is not the user's data.
          custom: readCustom(custom).custom,
          ratePerMinute: readMoney(r.userRate),
          cost: readMoney(r.debit),
        });
        const ended = result.reason && result.reason !== 'N/A' ? `, ended: ${result.reason}` : '';
        const to = result.to ? ` to ${label ? `${label} (${result.to})` : result.to}` : label ? ` to ${label}` : '';
        return {
          result,
          summary: `Call ${shortId(result.callId)}${to}: ${result.status ?? 'unknown'}, ${result.result ?? 'N/A'}${ended}, ${result.durationSeconds ?? 0}s`,
        };
      },
    };
  },
});

const recording = z
  .object({
    destinationUrl: unlistedMax(z.string(), 2048, 'recording.destinationUrl is limited to 2048 characters')
      .refine((url) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(url), { error: 'recording.destinationUrl must be a URL such as s3://bucket/path or https://…' })
      .describe('Storage, e.g. s3://bucket/.'),
    credentials: unlistedNonEmpty(unlistedMax(z.string(), 1024, 'recording.credentials is limited to 1024 characters'), 'recording.credentials must not be empty').describe('Storage login (never shown).'),
    format: z.enum(['mp3', 'wav']).optional().describe('Default mp3.'),
    notificationEvents: z.boolean().optional().describe('Default true.'),
    transcribe: transcriptLocale,
  })
  .optional()
  .describe('For startRecording.');

const instruction = z.object({
  name: z.enum(['say', 'playFiles', 'sendDtmf', 'startRecording', 'stopRecording']).describe('What to do.'),
  text: spokenText('text').optional().describe('For say.'),
  dtmf: dtmfTones.optional().describe('For sendDtmf.'),
  ids: unlistedMax(z.array(unlistedMax(z.string(), 4096, 'a playFiles id is at most 4096 characters')), 20, 'ids takes at most 20 files').optional().describe('For playFiles: URLs or #tts[...].'),
  locale,
  recording,
});

function toSvamlInstruction(item: z.infer<typeof instruction>, index: number): Record<string, unknown> {
  const where = `instructions[${index}]`;
  switch (item.name) {
    case 'say':
      if (!item.text) throw new InputError(`${where}: "say" needs text.`);
      return { name: 'say', text: item.text, locale: item.locale ?? DEFAULT_LOCALE };
    case 'playFiles':
      if (!item.ids?.length) throw new InputError(`${where}: "playFiles" needs ids (URLs or "#tts[...]" prompts).`);
      // Sinch needs a locale for TTS/SSML prompts; the same default as say.
      return { name: 'playFiles', ids: item.ids, locale: item.locale ?? DEFAULT_LOCALE };
    case 'sendDtmf':
      if (!item.dtmf) throw new InputError(`${where}: "sendDtmf" needs dtmf (0-9, # and w for a 0.5 s pause).`);
      return { name: 'sendDtmf', value: item.dtmf };
    case 'startRecording': {
      if (!item.recording) {
        throw new InputError(`${where}: "startRecording" needs recording.destinationUrl and recording.credentials (where Sinch stores the file and how it logs in).`);
      }
      const { transcribe, ...options } = item.recording;
      const transcriptionOptions = transcribe ? { enabled: true, locale: languageRegion(transcribe) } : undefined;
      return { name: 'startRecording', options: definedOnly({ ...options, transcriptionOptions }) };
    }
    case 'stopRecording':
      return { name: 'stopRecording' };
  }
}

/** "en-us" -> "en-US", the form Sinch's locales take. */
function languageRegion(code: string): string {
  const [language, region] = code.split('-');
  return `${language!.toLowerCase()}-${region!.toUpperCase()}`;
}

function describeStep(item: z.infer<typeof instruction>): string {
  if (item.name === 'say') return `say "${item.text}"`;
  if (item.name === 'sendDtmf') return `send the tones "${item.dtmf}"`;
  if (item.name === 'startRecording' && item.recording) {
    const transcribed = item.recording.transcribe ? `, transcribed in ${languageRegion(item.recording.transcribe)}` : '';
    return `start recording to ${item.recording.destinationUrl} (${item.recording.format ?? 'mp3'}, credentials: ${HIDDEN})${transcribed}`;
  }
  return item.name;
}

const LEG_INSTRUCTIONS = new Set(['say', 'playFiles']);
const GUARDED_INSTRUCTIONS = new Set(['startRecording', 'sendDtmf']);

export const manageCall = defineTool({
  name: 'manage_call',
  title: 'Manage a live call',
  toolset: 'calls',
  kind: 'destructive',
  description:
    'Speak, play, send DTMF or start/stop recording in a live call, then continue or hang up. Hangup, DTMF and recording need confirmation. Example: "tell the caller we are transferring soon".',
  input: z.object({
    ...theCall,
    instructions: unlistedMax(z.array(instruction), 10, 'instructions takes at most 10 steps').optional().describe('Run in order before the action.'),
    action: z.enum(['continue', 'hangup']).describe('Then keep or end the call.'),
    callLeg: z.enum(['caller', 'callee', 'both']).optional().describe('Who hears say/playFiles (connected incoming calls).'),
  }),
  result: z.object({ callId: z.string(), action: z.string(), instructions: z.number() }),
  // Recording a call is legally sensitive, and tones operate the far end's machine (a menu choice, a PIN, a
  // transfer) and cannot be taken back: a person confirms either, like a hang-up.
  needsConfirmation: (args) => args.action === 'hangup' || (args.instructions ?? []).some((i) => GUARDED_INSTRUCTIONS.has(i.name)),
  async plan(args, ctx) {
    const call = await callOf(args, ctx);
    const instructions = args.instructions ?? [];
    if (args.callLeg) {
      const other = instructions.find((i) => !LEG_INSTRUCTIONS.has(i.name));
      if (!instructions.length || other) {
        throw new InputError(`callLeg: only say and playFiles play on one leg${other ? ` (got "${other.name}")` : ''}; remove callLeg or send only say/playFiles.`);
      }
      if (call.kind === 'tts' || call.kind === 'conference') throw new InputError('callLeg: Sinch ignores it for calls placed by a callout; remove callLeg.');
    }
    const svaml: Svaml = { instructions: instructions.map(toSvamlInstruction), action: { name: args.action } };
    const steps = instructions.map(describeStep).join(', ');
    const verb = args.action === 'hangup' ? 'then hang up' : 'then continue';
    return {
      request: onRegion(endpoints.manageCall(call.callId, svaml, args.callLeg), call.regionBase),
      preview: `On ${callNamed(call, true)}: ${steps ? `${steps}, ` : ''}${verb}.`,
      read: () => ({
        result: { callId: call.callId, action: args.action, instructions: instructions.length },
        summary: `${call.label ? `${call.label} (${shortId(call.callId)})` : `Call ${shortId(call.callId)}`}: ${instructions.length} instruction(s) sent, ${args.action}`,
      }),
    };
  },
});

export const hangupCall = defineTool({
  name: 'hangup_call',
  title: 'Hang up a call',
  toolset: 'calls',
  kind: 'destructive',
  description:
    'End a live call, optionally saying a message first. Needs confirmation. Example: "hang up on Anna, saying the meeting is over".',
  input: z.object({ ...theCall, message: spokenText('message').optional().describe('Said before hanging up.'), locale }),
  result: z.object({ callId: z.string(), hungUp: z.boolean() }),
  async plan(args, ctx) {
    const call = await callOf(args, ctx);
    const instructions = args.message ? [{ name: 'say', text: args.message, locale: args.locale ?? DEFAULT_LOCALE }] : [];
    return {
      request: onRegion(endpoints.manageCall(call.callId, { instructions, action: { name: 'hangup' } }), call.regionBase),
      preview: `Hang up ${callNamed(call, true)}${args.message ? ` after saying "${args.message}"` : ''}.`,
      read: () => ({ result: { callId: call.callId, hungUp: true }, summary: `Hung up ${callNamed(call, false)}` }),
    };
  },
});
