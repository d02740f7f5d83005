import { z } from 'zod';
import { InputError } from '../sinch/errors.js';
import type { SinchRequest } from '../sinch/client.js';
import { type Svaml, endpoints } from '../sinch/endpoints.js';
import { readCustom } from '../sinch/custom.js';
import { HIDDEN } from '../support/redact.js';
import { type PlanContext, defineTool, shortId } from './define.js';
import { DEFAULT_LOCALE, callId, dtmfTones, locale, money, spokenText, transcriptLocale, unlistedMax, unlistedNonEmpty } from './fields.js';
import { definedOnly, endpoint, money as readMoney, number, record, text } from '../sinch/read.js';

/** A request about one call, sent to the region the call lives on when its ICE said so. */
async function onCallRegion(request: SinchRequest, id: string, ctx: PlanContext): Promise<SinchRequest> {
  const regionBase = (await ctx.calls.get(id))?.regionBase;
  return regionBase ? { ...request, baseUrl: regionBase } : request;
}

export const getCallResult = defineTool({
  name: 'get_call_result',
  title: 'Get call result',
  toolset: 'calls',
  kind: 'read',
  description:
    'Get the state of a call (ONGOING/FINAL), result (ANSWERED, BUSY, NOANSWER, FAILED), end reason, duration and cost. Free. Example: "did the call to Anna connect?"',
  input: z.object({ callId }),
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
    const label = (await ctx.calls.get(args.callId))?.label;
    return {
      request: await onCallRegion(endpoints.getCall(args.callId), args.callId, ctx),
      preview: `Read call ${args.callId}`,
      read(response) {
        const r = record(response);
        const custom = typeof r.custom === 'string' ? r.custom : r.custom === undefined ? undefined : JSON.stringify(r.custom);
        const result = definedOnly({
          callId: text(r.callId) ?? args.callId,
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
    callId,
    instructions: unlistedMax(z.array(instruction), 10, 'instructions takes at most 10 steps').optional().describe('Run in order before the action.'),
    action: z.enum(['continue', 'hangup']).describe('Then keep or end the call.'),
    callLeg: z.enum(['caller', 'callee', 'both']).optional().describe('Who hears say/playFiles (connected incoming calls).'),
  }),
  result: z.object({ callId: z.string(), action: z.string(), instructions: z.number() }),
  // Recording a call is legally sensitive, and tones operate the far end's machine (a menu choice, a PIN, a
  // transfer) and cannot be taken back: a person confirms either, like a hang-up.
  needsConfirmation: (args) => args.action === 'hangup' || (args.instructions ?? []).some((i) => GUARDED_INSTRUCTIONS.has(i.name)),
  async plan(args, ctx) {
    const instructions = args.instructions ?? [];
    if (args.callLeg) {
      const other = instructions.find((i) => !LEG_INSTRUCTIONS.has(i.name));
      if (!instructions.length || other) {
        throw new InputError(`callLeg: only say and playFiles play on one leg${other ? ` (got "${other.name}")` : ''}; remove callLeg or send only say/playFiles.`);
      }
      const kind = (await ctx.calls.get(args.callId))?.kind;
      if (kind === 'tts' || kind === 'conference') throw new InputError('callLeg: Sinch ignores it for calls placed by a callout; remove callLeg.');
    }
    const svaml: Svaml = { instructions: instructions.map(toSvamlInstruction), action: { name: args.action } };
    const steps = instructions.map(describeStep).join(', ');
    const verb = args.action === 'hangup' ? 'then hang up' : 'then continue';
    return {
      request: await onCallRegion(endpoints.manageCall(args.callId, svaml, args.callLeg), args.callId, ctx),
      preview: `On call ${args.callId}: ${steps ? `${steps}, ` : ''}${verb}.`,
      read: () => ({
        result: { callId: args.callId, action: args.action, instructions: instructions.length },
        summary: `Call ${shortId(args.callId)}: ${instructions.length} instruction(s) sent, ${args.action}`,
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
    'End a live call, optionally saying a message first. Needs confirmation. Example: "hang up on 4398…, saying the meeting is over".',
  input: z.object({ callId, message: spokenText('message').optional().describe('Spoken to the caller before hanging up.'), locale }),
  result: z.object({ callId: z.string(), hungUp: z.boolean() }),
  async plan(args, ctx) {
    const instructions = args.message ? [{ name: 'say', text: args.message, locale: args.locale ?? DEFAULT_LOCALE }] : [];
    return {
      request: await onCallRegion(endpoints.manageCall(args.callId, { instructions, action: { name: 'hangup' } }), args.callId, ctx),
      preview: `Hang up call ${args.callId}${args.message ? ` after saying "${args.message}"` : ''}.`,
      read: () => ({ result: { callId: args.callId, hungUp: true }, summary: `Hung up call ${shortId(args.callId)}` }),
    };
  },
});
