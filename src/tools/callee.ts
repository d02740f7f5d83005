// Who a callout rings, from what the agent wrote: a phone number (with its extension and vanity letters),
// an in-app username or a SIP address. Both callout tools build their destination here.
import { InputError } from '../sinch/errors.js';
import { forPeople, readPhone } from '../sinch/phone.js';
import { readSipAddress, sipText } from '../support/sip.js';

export type DestinationType = 'number' | 'username' | 'sip';

export interface Callee {
  destination: { type: DestinationType; endpoint: string };
  /** Tones sent on answer: the agent's dtmf, or the extension written with the number after a short pause. */
  dtmf?: string;
  /** The extension written with the number, keyed in once the call is answered. */
  extension?: string;
  /** What the agent wrote for values rewritten here, by their path below the callout method ("destination.endpoint"). */
  written: Record<string, string>;
  /** How previews name the callee. */
  named: string;
}

/** A caller id as written: vanity letters are read (and noted for the preview), an extension is refused. */
export async function callerIdFor(written: string, country: string | undefined): Promise<{ cli: string; written: Record<string, string> }> {
  const phone = await readPhone(written, 'cli', country);
  if (phone.extension) throw new InputError(`cli: ${JSON.stringify(written.slice(0, 40))} has an extension (${phone.extension}), which a caller id cannot take; give the number alone.`);
  return { cli: phone.e164, written: phone.vanity ? { cli: phone.vanity } : {} };
}

/** 1 s ("ww") before an extension, so the far end's attendant is listening when the digits come. */
export const EXTENSION_PAUSE = 'ww';

export async function calleeFor(args: { destination: string; destinationType: DestinationType; dtmf?: string }, country: string | undefined): Promise<Callee> {
  if (args.destinationType === 'username') {
    if (!/^[\x21-\x7e]{1,128}$/.test(args.destination)) throw new InputError('destination: a username is 1–128 visible ASCII characters without spaces.');
    return { destination: { type: 'username', endpoint: args.destination }, dtmf: args.dtmf, written: {}, named: `user "${args.destination}"` };
  }
  // A SIP URI names its own kind ("sip:alice@pbx.example.com"), whatever the type says.
  if (args.destinationType === 'sip' || (args.destinationType === 'number' && /^\s*sip:/i.test(args.destination))) {
    const address = readSipAddress(args.destination.trim());
    if (typeof address === 'string') throw new InputError(`destination: ${JSON.stringify(args.destination.slice(0, 64))} is not a SIP address: ${address}.`);
    const endpoint = sipText(address);
    return { destination: { type: 'sip', endpoint }, dtmf: args.dtmf, written: {}, named: `SIP address "${endpoint}"` };
  }
  if (args.destination.length > 40) throw new InputError('destination is too long (at most 40 characters)');
  const phone = await readPhone(args.destination, 'destination', country);
  const written: Record<string, string> = phone.vanity ? { 'destination.endpoint': phone.vanity } : {};
  const callee = { destination: { type: 'number' as const, endpoint: phone.e164 }, written, named: await forPeople(phone.e164) };
  if (!phone.extension) return { ...callee, dtmf: args.dtmf };
  // Never dropped: the extension is keyed in after answer, unless the agent's own tones would clash with it.
  if (args.dtmf) {
    throw new InputError(
      `destination: the extension ${phone.extension} would be sent as dtmf after answer, but dtmf is given too (${JSON.stringify(args.dtmf)}); put the extension into dtmf yourself and give the number without it.`,
    );
  }
  return { ...callee, extension: phone.extension, dtmf: `${EXTENSION_PAUSE}${phone.extension}`, written: { ...written, dtmf: args.destination } };
}
