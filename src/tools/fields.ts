// Input fields shared by several tools, each described for a model and limited to what the API accepts.
import { z } from 'zod';
import { SEGMENT_RULES } from '../sinch/paths.js';
import { USER_CUSTOM_LIMIT } from '../sinch/custom.js';

// Checked with a refinement rather than a JSON Schema pattern: the server enforces it all the same, and
// the long patterns would cost every tool listing context for no gain to the model.
const matching = (pattern: RegExp, error: string) => z.string().refine((value) => pattern.test(value), { error });

// The two ids carry no description: their names say what they are, and they appear on most tools, so a
// description would be paid for many times in every tools/list.
export const callId = matching(SEGMENT_RULES.callId.pattern, `callId must be ${SEGMENT_RULES.callId.allowed}`);

export const conferenceId = matching(SEGMENT_RULES.conferenceId.pattern, `conferenceId must be ${SEGMENT_RULES.conferenceId.allowed}`);

export const dtmfTones = matching(/^[0-9#w]{1,64}$/, 'dtmf may contain only 0-9, # and w (a 0.5 s pause), at most 64');

/** Tones a callout sends once answered (Sinch's `dtmf`); an extension written with the number becomes these. */
export const dtmfOnAnswer = dtmfTones.optional().describe('Tones on answer (0-9 # w=pause), e.g. a PIN.');

export const enablePie = z.boolean().optional();

/**
 * At most `max` characters or items, enforced here but not listed: a model never comes near these limits,
 * and every listed keyword is paid for in context on each tools/list. Limits a model should plan around
 * (text lengths, counts it could reach) stay listed.
 */
export const unlistedMax = <T extends z.ZodString | z.ZodArray>(schema: T, max: number, error: string): T => lengthRule(schema, (length) => length <= max, error);

/** At least one character or item, enforced here but not listed (see unlistedMax). */
export const unlistedNonEmpty = <T extends z.ZodString | z.ZodArray>(schema: T, error: string): T => lengthRule(schema, (length) => length > 0, error);

const lengthRule = <T extends z.ZodString | z.ZodArray>(schema: T, allows: (length: number) => boolean, error: string): T =>
  (schema as z.ZodType<string | unknown[]>).refine((value) => allows(value.length), { error }) as unknown as T;

export const phone = (what: string) =>
  unlistedMax(z.string(), 40, `${what} is too long (at most 40 characters)`).refine((value) => value.length >= 3, { error: `${what} is too short to be a phone number` });

export const defaultCountry = matching(/^[A-Za-z]{2}$/, 'defaultCountry must be a two-letter ISO 3166-1 code such as SE or US')
  .optional()
  .describe('ISO country, e.g. SE.');

export const applicationKey = matching(SEGMENT_RULES.applicationKey.pattern, `applicationKey must be ${SEGMENT_RULES.applicationKey.allowed}`)
  .optional()
  .describe('Default: this app.');

// Optional rather than a listed default: "Default voice." says the same in fewer bytes of every tools/list.
export const capability = z.enum(['voice', 'sms']).optional().describe('Default voice.');

export const DEFAULT_LOCALE = 'en-US';

/** A recording's transcript language: a language-region code, read case-insensitively ("en-us" is en-US). */
export const transcriptLocale = matching(/^[A-Za-z]{2,3}-[A-Za-z]{2}$/, 'recording.transcribe must be a language-region code such as en-US')
  .optional()
  .describe('Transcript language, e.g. en-US.');

export const locale = matching(/^[A-Za-z0-9_/-]{2,32}$/, 'locale must look like "en-US", "en-US/female" or a voice name such as "Joanna"')
  .optional()
  .describe('TTS voice (en-US).');

// Sinch's default limit is 600 characters per text, raised per account on request: the account decides, not this server.
export const spokenText = (what: string) =>
  unlistedNonEmpty(unlistedMax(z.string().trim(), 4_000, `${what} is limited to 4000 characters here (Sinch's default account limit is 600)`), `${what} must not be empty`);

export const custom = unlistedMax(
  z.string(),
  USER_CUSTOM_LIMIT,
  `custom is limited to ${USER_CUSTOM_LIMIT} characters (Sinch allows 1024; this server keeps the rest for its own marker)`,
)
  .optional()
  .describe('Your data, echoed in events.');

export const label = unlistedNonEmpty(unlistedMax(z.string().trim(), 40, 'label is limited to 40 characters'), 'label must not be empty')
  .optional()
  .describe('Name ("Anna"), usable instead of callId.');

/** A label naming a call this server placed (matched case-insensitively). */
export const labelRef = unlistedMax(z.string().trim(), 40, 'a label is at most 40 characters');

export const mohClass = z.enum(['ring', 'music1', 'music2', 'music3']).optional();

/** "sip" may be left out: a destination written "sip:user@host" is a SIP address whatever the type says. */
export const destinationType = z.enum(['number', 'username', 'sip']).default('number').describe('Default number.');

/** A phone number (at most 40 characters, checked when read), a username or a SIP address. */
export const destination = unlistedMax(z.string(), 255, 'destination is too long (at most 255 characters)')
  .refine((value) => value.length >= 3, { error: 'destination is too short to be a phone number' })
  .describe('Number (any format), username or sip:user@host.');

export const httpsUrl = (what: string) =>
  unlistedMax(z.string(), 2048, `${what} is limited to 2048 characters`).refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', { error: `${what} must be an https:// URL` });

export const money = z.object({ currency: z.string(), amount: z.number() });

export type Money = z.infer<typeof money>;
