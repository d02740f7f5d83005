// Input fields shared by several tools, each described for a model and limited to what the API accepts.
import { z } from 'zod';
import { SEGMENT_RULES } from '../sinch/paths.js';

export const callId = z
  .string()
  .regex(SEGMENT_RULES.callId.pattern, { error: `callId must be ${SEGMENT_RULES.callId.allowed}` })
  .describe('Call id (from a callout or get_conference).');

export const conferenceId = z
  .string()
  .regex(SEGMENT_RULES.conferenceId.pattern, { error: `conferenceId must be ${SEGMENT_RULES.conferenceId.allowed}` })
  .describe('Conference room id (your own name for the room, 1–64 chars).');

export const phone = (what: string) =>
  z.string().min(3, { error: `${what} is too short to be a phone number` }).max(40, { error: `${what} is too long (at most 40 characters)` });

export const defaultCountry = z
  .string()
  .regex(/^[A-Za-z]{2}$/, { error: 'defaultCountry must be a two-letter ISO 3166-1 code such as SE or US' })
  .optional()
  .describe('Country (ISO, e.g. "SE") for numbers without +code. Default: SINCH_DEFAULT_COUNTRY.');

export const applicationKey = z
  .string()
  .regex(SEGMENT_RULES.applicationKey.pattern, { error: `applicationKey must be ${SEGMENT_RULES.applicationKey.allowed}` })
  .optional()
  .describe('Voice app key. Default: the configured app.');

export const capability = z.enum(['voice', 'sms']).default('voice').describe('Number capability.');

export const locale = z
  .string()
  .regex(/^[A-Za-z0-9_/-]{2,32}$/, { error: 'locale must look like "en-US", "en-US/female" or a voice name such as "Joanna"' })
  .optional()
  .describe('TTS language/voice, e.g. "en-US", "sv-SE", "en-GB/female". Default en-US.');

export const spokenText = (what: string) =>
  z.string().trim().min(1, { error: `${what} must not be empty` }).max(600, { error: `${what} is limited to 600 characters by Sinch` });

export const custom = z.string().max(1024, { error: 'custom is limited to 1024 characters' }).optional().describe('Your own data, echoed in call results and callbacks.');

export const destinationType = z
  .enum(['number', 'username'])
  .default('number')
  .describe('"number" for a phone (PSTN), "username" for an in-app user.');

export const httpsUrl = (what: string) =>
  z
    .string()
    .max(2048)
    .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', { error: `${what} must be an https:// URL` });

export const money = z.object({ currency: z.string(), amount: z.number() });

export type Money = z.infer<typeof money>;
