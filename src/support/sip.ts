// SIP addresses as Sinch's v1 callouts take them ("user@host[:port]", the form of its reference's examples),
// and the allow-list patterns that admit them. One grammar for the tools, the policy, the configuration and
// the sandbox, kept stricter than RFC 3261: no parameters or headers, no IPv6 literals, no display names.

export interface SipAddress {
  /** "*" only in an allow-list pattern. */
  user: string;
  /** Lower-cased. */
  host: string;
  port?: number;
}

const USER = /^(?:[A-Za-z0-9\-_.!~'&=+$]|%[0-9A-Fa-f]{2}){1,64}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** "sip:alice@pbx.example.com" or "alice@pbx.example.com" -> its parts; a string saying what is wrong otherwise. */
export function readSipAddress(text: string, options: { wildcardUser?: boolean } = {}): SipAddress | string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'sip') return scheme === 'sips' ? 'sips: (TLS) cannot be asked for in a callout; give sip:user@host' : `${scheme}: is not a SIP address; give sip:user@host`;
  const rest = scheme ? text.slice(4) : text;
  if (rest.length > 255) return 'a SIP address is at most 255 characters';
  if (/[;?]/.test(rest)) return 'SIP parameters and headers (;… ?…) cannot be sent in a callout; give user@host[:port]';
  const at = rest.lastIndexOf('@');
  if (at < 0) return 'a SIP address is user@host (the @ is missing)';
  const user = rest.slice(0, at);
  if (!(options.wildcardUser && user === '*') && !USER.test(user)) return `"${user.slice(0, 64)}" is not a SIP user part (letters, digits and - _ . ! ~ ' & = + $, at most 64)`;
  const host = readHost(rest.slice(at + 1));
  return typeof host === 'string' ? host : { user, ...host };
}

function readHost(text: string): Omit<SipAddress, 'user'> | string {
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return text.startsWith('[') ? 'IPv6 hosts are not accepted; give a host name' : `"${text.slice(0, 64)}" is not a host[:port]`;
  const host = match[1]!.toLowerCase();
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return `port ${port} is out of range (1-65535)`;
  const labels = host.split('.');
  const isName = labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /[a-z]/.test(labels.at(-1)!) && host.length <= 253;
  if (!isName && !IPV4.test(host)) return `"${host.slice(0, 64)}" is not a host name (such as pbx.example.com) or an IPv4 address`;
  return port === undefined ? { host } : { host, port };
}

/** The form sent to Sinch and shown to people: "alice@pbx.example.com:5060". */
export function sipText(address: SipAddress): string {
  return `${address.user}@${address.host}${address.port === undefined ? '' : `:${address.port}`}`;
}

/** Allow-list entries: "sip:*" (any SIP address), "sip:*@host[:port]" (any user there), "sip:user@host[:port]". */
export type SipPattern = SipAddress;

/** "sip:*": host "*" matches every host. */
const ANY_SIP: SipPattern = { user: '*', host: '*' };

export function readSipPattern(entry: string): SipPattern | string {
  if (!/^sip:/i.test(entry)) return 'a SIP entry starts with sip:';
  if (entry.slice(4) === '*') return ANY_SIP;
  return readSipAddress(entry, { wildcardUser: true });
}

export function sipPatternText(pattern: SipPattern): string {
  return pattern.host === '*' ? 'sip:*' : `sip:${sipText(pattern)}`;
}

/** Whether the pattern admits this address (or every address another pattern admits); no port in the pattern admits any port. */
export function sipCovers(pattern: SipPattern, address: SipPattern): boolean {
  if (pattern.host === '*') return true;
  if (pattern.host !== address.host) return false;
  if (pattern.port !== undefined && pattern.port !== address.port) return false;
  return pattern.user === '*' || pattern.user === address.user;
}
