// The MAC that authenticates what crosses Redis: bound to the name, the deadline and the value; a previous secret
// is accepted for reading during a rotation, never for writing.
import { describe, expect, it } from 'vitest';
import { Keyring, tokenHash } from '../../src/state/mac.js';
import { MemoryState } from '../../src/state/memory.js';
import { SignedState } from '../../src/state/signed.js';
import { until } from '../helpers/until.js';

const OLD = 'the-old-state-secret-of-32-bytes-or-more';
const NEW = 'the-new-state-secret-of-32-bytes-or-more';
const NOW = 1_700_000_000_000;

describe('Keyring', () => {
  it('opens what it sealed, with its deadline, and nothing that was changed', () => {
    const keys = new Keyring(NEW);
    const sealed = keys.seal('key:approval-decision:abc', '{"state":"approved"}', NOW + 60_000);
    expect(keys.open('key:approval-decision:abc', sealed, NOW)).toEqual({ value: '{"state":"approved"}', expiresAt: NOW + 60_000 });
    expect(keys.open('key:approval-decision:abc', sealed.replace('approved', 'denied'), NOW)).toBeUndefined();
    // The deadline is bound too: stretching it breaks the tag.
    const [format, deadline, ...rest] = sealed.split('.');
    const stretched = [format, (parseInt(deadline!, 36) + 3_600_000).toString(36), ...rest].join('.');
    expect(keys.open('key:approval-decision:abc', stretched, NOW)).toBeUndefined();
    expect(keys.open('key:approval-decision:abc', '{"state":"approved"}', NOW)).toBeUndefined();
    expect(keys.open('key:approval-decision:abc', '', NOW)).toBeUndefined();
  });

  it('a valid value cannot be moved to another key, or from a key to a channel', () => {
    const keys = new Keyring(NEW);
    const sealed = keys.seal('key:call:host-call', '{"label":"host"}');
    expect(keys.open('key:call:host-call', sealed, NOW)?.value).toBe('{"label":"host"}');
    expect(keys.open('key:call:other-call', sealed, NOW)).toBeUndefined();
    expect(keys.open('channel:call:host-call', sealed, NOW)).toBeUndefined();
  });

  it('another secret cannot forge a value; a value put back after its deadline (and the skew allowance) is refused', () => {
    const sealed = new Keyring(OLD).seal('key:approver:x', '{"subject":"mallory"}', NOW + 1_000);
    expect(new Keyring(NEW).open('key:approver:x', sealed, NOW)).toBeUndefined();
    expect(new Keyring(OLD).open('key:approver:x', sealed, NOW + 1_000 + 29_000)?.value).toBe('{"subject":"mallory"}');
    expect(new Keyring(OLD).open('key:approver:x', sealed, NOW + 1_000 + 31_000)).toBeUndefined();
  });

  it('during a rotation the previous secret is accepted for reading; writes use the current one', () => {
    const rotating = new Keyring(NEW, OLD);
    const written = new Keyring(OLD).seal('key:k', 'v');
    expect(rotating.open('key:k', written, NOW)?.value).toBe('v');
    const rewritten = rotating.seal('key:k', 'v');
    expect(new Keyring(NEW).open('key:k', rewritten, NOW)?.value).toBe('v');
    expect(new Keyring(OLD).open('key:k', rewritten, NOW)).toBeUndefined();
    // Derived tokens: the current one first, the previous one still known.
    expect(rotating.deriveAll('page-token', 'id')).toEqual([new Keyring(NEW).derive('page-token', 'id'), new Keyring(OLD).derive('page-token', 'id')]);
  });

  it('derived tokens differ by purpose and by data; a token hash is not the token', () => {
    const keys = new Keyring(NEW);
    expect(keys.derive('page-token', 'a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.derive('page-token', 'a')).not.toBe(keys.derive('page-token', 'b'));
    expect(keys.derive('page-token', 'a')).not.toBe(keys.derive('other', 'a'));
    expect(tokenHash('t')).not.toContain('t'.repeat(2));
    expect(tokenHash('t')).toBe(tokenHash('t'));
    expect(Keyring.random().derive('p', 'a')).not.toBe(Keyring.random().derive('p', 'a'));
  });
});

describe('SignedState over a state others can write to', () => {
  function signed(inner: MemoryState, keys = new Keyring(NEW)) {
    const lines: string[] = [];
    return { state: new SignedState(inner, keys, (line) => lines.push(line)), lines };
  }

  it('reads its own values; a value written without the secret reads as absent, reported once without the value', async () => {
    const inner = new MemoryState();
    const { state, lines } = signed(inner);
    await state.set('approval-decision:abc', 'approved-by-anna', 60_000);
    expect(await state.get('approval-decision:abc')).toBe('approved-by-anna');
    await inner.set('approval-decision:abc', 'forged-by-mallory', 60_000);
    expect(await state.get('approval-decision:abc')).toBeUndefined();
    expect(await state.take('approval-decision:abc')).toBeUndefined();
    await inner.set('approval-decision:abc', 'forged-by-mallory', 60_000);
    expect(await state.get('approval-decision:abc')).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/refused a value under key approval-decision:\* in Redis/);
    expect(lines.join('')).not.toMatch(/mallory|abc/);
    // A forged value still occupies its key: setIfAbsent does not claim it.
    expect(await state.setIfAbsent('approval-decision:abc', 'approved', 60_000)).toBe(false);
    await state.close();
  });

  it('delivers its own messages once to each listener; forged and replayed messages are dropped', async () => {
    const inner = new MemoryState();
    const { state, lines } = signed(inner);
    const heard: string[] = [];
    const second: string[] = [];
    let captured = '';
    await inner.subscribe('calls', (raw) => (captured = raw));
    await state.subscribe('calls', (message) => heard.push(message));
    await state.subscribe('calls', (message) => second.push(message));
    await state.publish('calls', 'genuine');
    await until(() => heard.length === 1 && second.length === 1 && captured, { what: 'the genuine message' });
    await inner.publish('calls', 'forged');
    await inner.publish('calls', captured);
    await state.publish('calls', 'later');
    await until(() => heard.length === 2, { what: 'the later message' });
    expect(heard).toEqual(['genuine', 'later']);
    expect(second).toEqual(['genuine', 'later']);
    expect(lines.some((line) => /refused a message under channel calls/.test(line))).toBe(true);
    expect(lines.some((line) => /refused a repeated message under channel calls/.test(line))).toBe(true);
    expect(lines.join('')).not.toMatch(/forged|genuine/);
    await state.close();
  });
});
