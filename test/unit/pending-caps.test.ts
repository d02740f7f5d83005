// Issue 20: one cap on what waits for a person, whatever the route (pages, links, tokens), per caller and per
// instance; a stored preview of bounded size; a link approval redeemed after its deadline sends nothing; the
// static token lookup; allowed Host values that add to the defaults.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Approvals } from '../../src/confirm/approvals.js';
import { approveByLink } from '../../src/confirm/link.js';
import { remoteApprovalPages } from '../../src/confirm/pages.js';
import { PendingCaps, PendingLimitError } from '../../src/confirm/pending-caps.js';
import type { Preview } from '../../src/confirm/preview.js';
import { SHORTENED_FACT, STORED_PREVIEW_BYTES, boundPreview } from '../../src/confirm/preview-bound.js';
import { ConfirmationTokens } from '../../src/confirm/tokens.js';
import { MemoryState } from '../../src/state/memory.js';
import { credentialOf, staticTokens } from '../../src/transports/http/auth.js';
import { allowedHosts } from '../../src/transports/http/host.js';

const PREVIEW: Preview = { title: 'T', facts: [], summary: 's', request: 'POST /callouts', rows: [] };
const REQUEST = { method: 'POST' as const, base: 'calling' as const, path: '/calling/v1/callouts', body: { method: 'ttsCallout' } };

describe('PendingCaps', () => {
  it('refuses past 20 per caller and 200 per instance, in the same tick (no await between check and count)', () => {
    const caps = new PendingCaps(() => 0);
    for (let i = 0; i < 20; i++) caps.hold(`a${i}`, 'alice', 1_000);
    expect(() => caps.hold('a20', 'alice', 1_000)).toThrow(/20 of your actions already wait.*at most 20 per caller.*approved or denied, or let them expire/);
    // The local (stdio) user, without a subject, is one caller like any other.
    for (let i = 0; i < 20; i++) caps.hold(`l${i}`, undefined, 1_000);
    expect(() => caps.hold('l20', undefined, 1_000)).toThrow(PendingLimitError);
    for (let i = 0; caps.size < 200; i++) caps.hold(`o${i}`, `caller-${i % 10}`, 1_000);
    expect(() => caps.hold('one-more', 'zoe', 1_000)).toThrow(/at most 200 per instance/);
  });

  it('a place is free again once released or past its deadline', () => {
    let now = 0;
    const caps = new PendingCaps(() => now, 2, 10);
    caps.hold('a', 'alice', 100);
    caps.hold('b', 'alice', 200);
    expect(() => caps.hold('c', 'alice', 300)).toThrow(PendingLimitError);
    caps.release('a');
    caps.hold('c', 'alice', 300);
    now = 200; // b's deadline passed, nobody said anything
    caps.hold('d', 'alice', 400);
    expect(caps.size).toBe(2);
  });

  it('link approvals and tokens count against the same cap; nothing is stored when refused', async () => {
    const state = new MemoryState();
    const caps = new PendingCaps(Date.now, 3, 100);
    const approvals = new Approvals(state, { caps });
    const tokens = new ConfirmationTokens(state, Date.now, undefined, caps);
    await approvals.store(PREVIEW, 60_000, { requestedBy: 'alice' });
    await tokens.issue('tts_callout', REQUEST, 'alice');
    const waiting = await approvals.create(PREVIEW, 60_000, { requestedBy: 'alice' });
    await expect(approvals.store(PREVIEW, 60_000, { requestedBy: 'alice' })).rejects.toThrow(PendingLimitError);
    await expect(tokens.issue('tts_callout', REQUEST, 'alice')).rejects.toThrow(PendingLimitError);
    // Deciding frees the place at once.
    await approvals.decide(waiting.id, 'deny', waiting.pageToken, 'bob');
    await tokens.issue('tts_callout', REQUEST, 'alice');
    approvals.close();
    await state.close();
  });
});

describe('stored previews are bounded', () => {
  it('a huge preview is stored under 32 KiB, cut with a marker and a fact that says so; a small one is untouched', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({ label: `instructions[${i}].ids`, value: JSON.stringify('x'.repeat(600)) }));
    const huge: Preview = { ...PREVIEW, summary: 'y'.repeat(10_000), rows: [{ label: 'text', value: 'z'.repeat(100_000) }, ...rows] };
    const bounded = boundPreview(huge);
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThanOrEqual(STORED_PREVIEW_BYTES);
    expect(bounded.facts).toContain(SHORTENED_FACT);
    expect(bounded.rows[0]!.value).toMatch(/\[… cut: 97952 more characters\]$/);
    expect(bounded.rows.at(-1)!.value).toMatch(/^\d+ more fields not shown \(stored previews are limited to 32 KiB\)$/);
    expect(boundPreview(PREVIEW)).toBe(PREVIEW);
  });
});

describe('a link approval redeemed after its deadline', () => {
  it('approved in time, redeemed late: nothing goes ahead, and the answer names the deadline', async () => {
    let now = 1_000_000;
    const state = new MemoryState();
    const approvals = new Approvals(state, { now: () => now });
    const pages = remoteApprovalPages('http://127.0.0.1:1/mcp', approvals);
    const context = { requestedBy: 'alice', binding: 'tts_callout|fp|alice' };
    const asked = await approveByLink(PREVIEW, { pages, timeoutMs: 60_000 }, context);
    if (!('pending' in asked)) throw new Error('expected a pending link');
    const { reference, expiresAt } = asked.pending;
    const approval = (await approvals.get(reference))!;
    expect(await approvals.decide(reference, 'approve', approval.pageToken, 'bob')).toBe('approved');
    now = expiresAt; // the deadline the page showed; the record itself is kept 10 minutes longer
    const late = await approveByLink(PREVIEW, { pages, timeoutMs: 60_000 }, context, reference);
    expect(late).toEqual({ go: false, error: expect.stringMatching(/deadline \(.*\) has passed\. Nothing was done/) });
    now = expiresAt - 1; // had it come in time, it would have gone ahead (once)
    expect(await approveByLink(PREVIEW, { pages, timeoutMs: 60_000 }, context, reference)).toEqual({ go: true, approvedBy: 'bob' });
    await state.close();
  });
});

describe('static tokens', () => {
  it('are looked up by hash: the right caller among 20 000 lines, an unknown token refused', async () => {
    const hash = (token: string) => createHash('sha256').update(token).digest('hex');
    const lines = Array.from({ length: 20_000 }, (_, i) => `${hash(`token-${i}`)} sinch:read user-${i}`);
    const auth = staticTokens(lines.join('\n'));
    expect(auth.authorizationServers).toEqual([]);
    // The credential is the token's hash, the one the approval page compares (computed once per request).
    expect(await auth.authenticate('token-12345')).toEqual({ ok: true, caller: { subject: 'user-12345', scopes: ['sinch:read'] }, credential: credentialOf('token-12345') });
    expect(await auth.authenticate('token-20000')).toMatchObject({ ok: false, error: 'invalid_token' });
    expect(await auth.authenticate(undefined)).toMatchObject({ ok: false, error: 'invalid_request' });
  });
});

describe('SINCH_HTTP_ALLOWED_HOSTS', () => {
  it('adds to the defaults (the server keeps answering its own links); "*" (empty) accepts any', () => {
    const bound = { host: '127.0.0.1:8080', port: 8080 };
    expect(allowedHosts(bound, 'https://mcp.example.com/mcp', ['team.example.com'])).toEqual(['127.0.0.1:8080', 'localhost:8080', 'mcp.example.com', 'team.example.com']);
    expect(allowedHosts(bound, undefined, undefined)).toEqual(['127.0.0.1:8080', 'localhost:8080']);
    expect(allowedHosts(bound, undefined, [])).toEqual([]);
  });
});
