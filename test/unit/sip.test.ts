// SIP addresses for callouts and the allow-list entries that admit them: the grammar, the configuration
// (stricter wins) and the outbound policy, which never lets a SIP address through by default.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { CalloutPolicy, PolicyError } from '../../src/policy/outbound.js';
import { MemoryState } from '../../src/state/memory.js';
import { readSipAddress, readSipPattern, sipCovers, sipText } from '../../src/support/sip.js';

describe('readSipAddress', () => {
  it.each([
    ['alice@pbx.example.com', 'alice@pbx.example.com'],
    ['sip:alice@pbx.example.com', 'alice@pbx.example.com'],
    ['SIP:+19876543210@Example.SIP.sinch.com', '+19876543210@example.sip.sinch.com'],
    ['46708000000@sip.foo.com:5061', '46708000000@sip.foo.com:5061'],
    ['bob.smith_1@192.0.2.10', 'bob.smith_1@192.0.2.10'],
    ['a%20b@pbx.example.com', 'a%20b@pbx.example.com'],
  ])('%s -> %s', (written, sent) => {
    const address = readSipAddress(written);
    expect(typeof address).toBe('object');
    expect(sipText(address as Exclude<typeof address, string>)).toBe(sent);
  });

  it.each([
    ['pbx.example.com', /the @ is missing/],
    ['sips:alice@pbx.example.com', /sips: \(TLS\) cannot be asked for/],
    ['tel:+4670@pbx.example.com', /tel: is not a SIP address/],
    ['alice@pbx.example.com;transport=tcp', /parameters and headers/],
    ['alice@pbx.example.com?X-A=1', /parameters and headers/],
    ['alice@[2001:db8::1]', /IPv6 hosts are not accepted/],
    ['alice@localhost', /is not a host name/],
    ['alice@-bad-.example.com', /is not a host name/],
    ['alice@999.1.1.1', /is not a host name/],
    ['alice@pbx.example.com:0', /port 0 is out of range/],
    ['alice@pbx.example.com:70000', /port 70000 is out of range/],
    ['al ice@pbx.example.com', /is not a SIP user part/],
    ['<sip:alice@pbx.example.com>', /is not a SIP user part/],
    ['*@pbx.example.com', /is not a SIP user part/],
    [`${'a'.repeat(65)}@pbx.example.com`, /is not a SIP user part/],
    ['@pbx.example.com', /is not a SIP user part/],
  ])('refuses %s', (written, why) => {
    expect(readSipAddress(written)).toMatch(why);
  });
});

describe('SIP patterns', () => {
  const p = (entry: string) => readSipPattern(entry) as Exclude<ReturnType<typeof readSipPattern>, string>;
  const a = (text: string) => readSipAddress(text) as Exclude<ReturnType<typeof readSipAddress>, string>;

  it('sip:* admits any address; sip:*@host any user there, on any port unless one is named; sip:user@host one', () => {
    expect(sipCovers(p('sip:*'), a('x@pbx.example.com'))).toBe(true);
    expect(sipCovers(p('sip:*@pbx.example.com'), a('x@PBX.example.com:5070'))).toBe(true);
    expect(sipCovers(p('sip:*@pbx.example.com'), a('x@evil.example.com'))).toBe(false);
    expect(sipCovers(p('sip:*@pbx.example.com:5060'), a('x@pbx.example.com:5070'))).toBe(false);
    expect(sipCovers(p('sip:alice@pbx.example.com'), a('alice@pbx.example.com'))).toBe(true);
    expect(sipCovers(p('sip:alice@pbx.example.com'), a('bob@pbx.example.com'))).toBe(false);
  });

  it('an entry must be a SIP pattern', () => {
    expect(readSipPattern('sip:pbx.example.com')).toMatch(/the @ is missing/);
    expect(readSipPattern('pbx.example.com')).toMatch(/starts with sip:/);
  });
});

describe('SINCH_ALLOWED_DESTINATIONS with SIP entries', () => {
  const allowed = (env: string, flag?: string) =>
    loadConfig({ SINCH_ALLOWED_DESTINATIONS: env }, flag === undefined ? {} : { SINCH_ALLOWED_DESTINATIONS: flag }).allowedDestinations;

  it('reads prefixes and sip: entries together; * beside sip: entries keeps any number', () => {
    expect(allowed('+46, SIP:*@PBX.example.com')).toEqual(['+46', 'sip:*@pbx.example.com']);
    expect(allowed('*,sip:*@pbx.example.com')).toEqual(['*', 'sip:*@pbx.example.com']);
    expect(allowed('sip:alice@pbx.example.com')).toEqual(['sip:alice@pbx.example.com']);
    expect(allowed('*')).toEqual([]);
  });

  it('refuses a malformed sip: entry and * among prefixes, naming what works', () => {
    expect(() => allowed('+46,sip:pbx.example.com')).toThrow(/^SINCH_ALLOWED_DESTINATIONS: "sip:pbx.example.com" is not a SIP entry \(a SIP address is user@host/);
    expect(() => allowed('+46,*,sip:*@pbx.example.com')).toThrow(/"\*" is not an E.164 prefix; \* \(any destination\) stands alone, or beside sip: entries/);
  });

  it('stricter wins, for SIP entries too', () => {
    expect(allowed('+46,sip:*@pbx.example.com', '+4670,sip:alice@pbx.example.com')).toEqual(['+4670', 'sip:alice@pbx.example.com']);
    expect(allowed('*,sip:*', '+46')).toEqual(['+46']);
    expect(allowed('+46', '*,sip:*@pbx.example.com')).toEqual(['+46']);
    expect(allowed('+46,sip:*@a.example.com', '+1,sip:*')).toEqual(['sip:*@a.example.com']);
    expect(() => allowed('+46,sip:*@a.example.com', '+1,sip:*@b.example.com')).toThrow(/allow no destination in common/);
  });
});

describe('the callout policy and SIP', () => {
  const policy = (allowed: string[]) => new CalloutPolicy(allowed, 100, () => 0, new MemoryState());
  const sip = { type: 'sip' as const, endpoint: 'alice@pbx.example.com' };

  it('refuses a SIP address without an explicit entry, even when any number is allowed', async () => {
    for (const list of [[], ['+46'], ['*', 'sip:*@other.example.com']]) {
      await expect(policy(list).check(sip)).rejects.toThrow(PolicyError);
      await expect(policy(list).check(sip)).rejects.toThrow(/SIP callouts need an explicit entry such as sip:\*@pbx\.example\.com/);
    }
  });

  it('allows it where an entry admits it, and numbers and users as the rest of the list says', async () => {
    await expect(policy(['sip:*@pbx.example.com']).check(sip)).resolves.toBeUndefined();
    await expect(policy(['+46', 'sip:*']).check(sip)).resolves.toBeUndefined();
    await expect(policy(['sip:*@pbx.example.com']).check({ type: 'sip', endpoint: 'alice@evil.example.com' })).rejects.toThrow(PolicyError);
    await expect(policy(['sip:*@pbx.example.com']).check({ type: 'number', endpoint: '+46701234567' })).rejects.toThrow(PolicyError);
    await expect(policy(['*', 'sip:*']).check({ type: 'username', endpoint: 'bob' })).resolves.toBeUndefined();
    await expect(policy(['+46', 'sip:*']).check({ type: 'number', endpoint: '+46701234567' })).resolves.toBeUndefined();
    await expect(policy(['+46', 'sip:*']).check({ type: 'username', endpoint: 'bob' })).rejects.toThrow(PolicyError);
  });
});
