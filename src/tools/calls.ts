import { z } from 'zod';
import { InputError } from '../sinch/errors.js';
import { type Svaml, endpoints } from '../sinch/endpoints.js';
import { defineTool, shortId } from './define.js';
import { callId, locale, money, spokenText } from './fields.js';
import { definedOnly, endpoint, money as readMoney, number, record, text } from '../sinch/read.js';

export const getCallResult = defineTool({
  name: 'get_call_result',
  title: 'Get call result',
  toolset: 'calls',
  kind: 'read',
  description:
    'Get a call’s state and outcome: ONGOING or FINAL, result (ANSWERED, BUSY, NOANSWER, FAILED), why it ended, duration and cost. Use after a callout or to check who is still on the line. Free. Example: "did the call to Anna connect?"',
  input: z.object({ callId }),
  result: z.object({
    callId: z.string(),
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
  async plan(args) {
    return {
      request: endpoints.getCall(args.callId),
      preview: `Read call ${args.callId}`,
      read(response) {
        const r = record(response);
        const result = definedOnly({
          callId: text(r.callId) ?? args.callId,
          status: text(r.status),
          result: text(r.result),
          reason: text(r.reason),
          durationSeconds: number(r.duration),
          from: endpoint(r.from),
          to: endpoint(r.to),
          startedAt: text(r.timestamp),
          custom: typeof r.custom === 'string' ? r.custom : r.custom === undefined ? undefined : JSON.stringify(r.custom),
          ratePerMinute: readMoney(r.userRate),
          cost: readMoney(r.debit),
        });
        const ended = result.reason && result.reason !== 'N/A' ? `, ended: ${result.reason}` : '';
        return {
          result,
          summary: `Call ${shortId(result.callId)}${result.to ? ` to ${result.to}` : ''}: ${result.status ?? 'unknown'}, ${result.result ?? 'N/A'}${ended}, ${result.durationSeconds ?? 0}s`,
        };
      },
    };
  },
});

const instruction = z.object({
  name: z.enum(['say', 'playFiles', 'startRecording', 'stopRecording']).describe('say: speak text; playFiles: play prompts; start/stopRecording.'),
  text: spokenText('text').optional().describe('For say.'),
  ids: z.array(z.string().max(600)).max(20).optional().describe('For playFiles: URLs or "#tts[...]" prompts.'),
  locale,
  destinationUrl: z.string().max(2048).optional().describe('For startRecording: where to store the recording.'),
});

function toSvamlInstruction(item: z.infer<typeof instruction>, index: number): Record<string, unknown> {
  const where = `instructions[${index}]`;
  switch (item.name) {
    case 'say':
      if (!item.text) throw new InputError(`${where}: "say" needs text.`);
      return { name: 'say', text: item.text, locale: item.locale ?? 'en-US' };
    case 'playFiles':
      if (!item.ids?.length) throw new InputError(`${where}: "playFiles" needs ids (URLs or "#tts[...]" prompts).`);
      return definedOnly({ name: 'playFiles', ids: item.ids, locale: item.locale });
    case 'startRecording':
      return item.destinationUrl ? { name: 'startRecording', options: { destinationUrl: item.destinationUrl } } : { name: 'startRecording' };
    case 'stopRecording':
      return { name: 'stopRecording' };
  }
}

export const manageCall = defineTool({
  name: 'manage_call',
  title: 'Manage a live call',
  toolset: 'calls',
  kind: 'destructive',
  description:
    'Speak or play into a live PSTN call, start/stop recording, then either continue or hang up. "hangup" and startRecording need confirmation. Example: "tell the caller we are transferring soon".',
  input: z.object({
    callId,
    instructions: z.array(instruction).max(10).default([]).describe('Run in order before the action.'),
    action: z.enum(['continue', 'hangup']).describe('After the instructions: keep the call (continue) or end it (hangup).'),
    callLeg: z.enum(['caller', 'callee', 'both']).optional().describe('Which side hears it (calls you connected only).'),
  }),
  result: z.object({ callId: z.string(), action: z.string(), instructions: z.number() }),
  // Hanging up ends the call; recording it is legally sensitive: both need a person.
  needsConfirmation: (args) => args.action === 'hangup' || args.instructions.some((i) => i.name === 'startRecording'),
  async plan(args) {
    const svaml: Svaml = { instructions: args.instructions.map(toSvamlInstruction), action: { name: args.action } };
    const steps = args.instructions.map((i) => (i.name === 'say' ? `say "${i.text}"` : i.name)).join(', ');
    const verb = args.action === 'hangup' ? 'then hang up' : 'then continue';
    return {
      request: endpoints.manageCall(args.callId, svaml, args.callLeg),
      preview: `On call ${args.callId}: ${steps ? `${steps}, ` : ''}${verb}.`,
      read: () => ({
        result: { callId: args.callId, action: args.action, instructions: args.instructions.length },
        summary: `Call ${shortId(args.callId)}: ${args.instructions.length} instruction(s) sent, ${args.action}`,
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
    'End a live call, optionally speaking a message first. Cannot be undone. Needs confirmation. Example: "hang up on call 4398…, telling them the meeting is over".',
  input: z.object({ callId, message: spokenText('message').optional().describe('Spoken to the caller before hanging up.'), locale }),
  result: z.object({ callId: z.string(), hungUp: z.boolean() }),
  async plan(args) {
    const instructions = args.message ? [{ name: 'say', text: args.message, locale: args.locale ?? 'en-US' }] : [];
    return {
      request: endpoints.manageCall(args.callId, { instructions, action: { name: 'hangup' } }),
      preview: `Hang up call ${args.callId}${args.message ? ` after saying "${args.message}"` : ''}.`,
      read: () => ({ result: { callId: args.callId, hungUp: true }, summary: `Hung up call ${shortId(args.callId)}` }),
    };
  },
});
