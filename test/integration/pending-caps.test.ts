// Issue 20, remote mode composed in this process with a clock the test drives: one caller's flood of approval
// links is refused past the cap with memory bounded; an approval redeemed after its deadline sends nothing;
// allowed Host values add to the defaults, so the server's own approval links keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/compose.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { httpRequest } from '../helpers/approval.js';
import { retainedHeap } from '../helpers/heap.js';
import { type InProcessRemote, remoteInProcess } from '../helpers/in-process.js';
import { endSession, httpClient } from '../helpers/remote.js';

let remote: InProcessRemote;
let sandbox: Sandbox;
let services: Services;
let serving: { url: string };
let callerToken: string;
let clock = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  remote = await remoteInProcess('sinch:call', ['alice'], { SINCH_HTTP_ALLOWED_HOSTS: 'team.example.test', SINCH_CONFIRM_TIMEOUT_MS: '120000' }, { now: () => clock });
  ({ sandbox, services } = remote);
  serving = { url: remote.url };
  callerToken = remote.tokens[0]!;
});
afterAll(async () => {
  await remote?.close();
});

const sent = () => sandbox.requests.filter((r) => r.method !== 'GET');
const CALLOUT = (n: number) => ({ destination: '+46708168731', cli: '+14045005000', text: `Reminder ${n}: ${'the stand-up moved to room Atlas. '.repeat(16)}` });

describe('pending approvals: one cap for every route', () => {
  it('3 000 link approvals from one caller: 20 wait, the rest are refused naming the cap; nothing sent; memory bounded', async () => {
    let before = 0;
    const client = await httpClient(serving.url, callerToken); // no elicitation: the link route
    const refusals = new Map<string, number>();
    let waiting = 0;
    try {
      for (let batch = 0; batch < 3_000; batch += 100) {
        const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.callTool({ name: 'tts_callout', arguments: CALLOUT(batch + i) })));
        // Measured once everything the first calls load is loaded: from here on, only what is kept grows.
        if (batch === 0) before = retainedHeap();
        // Counted, not kept: what this test holds must not blur what the server holds.
        for (const r of results) {
          const text = (r.content as Array<{ text: string }>)[0]!.text;
          if (r.isError) refusals.set(text, (refusals.get(text) ?? 0) + 1);
          else if ((r.structuredContent as Record<string, unknown> | undefined)?.status === 'confirmation_required') waiting += 1;
        }
      }
    } finally {
      await endSession(client);
    }
    expect(waiting).toBe(20);
    expect(Object.fromEntries(refusals)).toEqual({
      "[sandbox] Refused: 20 of your actions already wait for a person's decision (at most 20 per caller). Have the waiting ones approved or denied, or let them expire (SINCH_CONFIRM_TIMEOUT_MS), then call again. Nothing was done.": 2_980,
    });
    expect(sent()).toEqual([]);
    // 121 MiB for 3 000 before the cap held for links (~40 KiB each); now 2 900 more calls keep next to nothing.
    const grown = retainedHeap() - before;
    expect(grown).toBeLessThan(12 * 1024 * 1024);

    // Letting them expire frees the places: the same caller may ask again.
    clock += 120_001;
    const again = await httpClient(serving.url, callerToken);
    try {
      const asked = await again.callTool({ name: 'tts_callout', arguments: CALLOUT(0) });
      expect((asked.structuredContent as Record<string, unknown>).status).toBe('confirmation_required');
    } finally {
      await endSession(again);
    }
  }, 60_000);

  it('an approval redeemed after the deadline the person saw sends nothing; one redeemed in time sends once', async () => {
    const client = await httpClient(serving.url, callerToken);
    const { approvals } = services.confirmation;
    const approve = async (reference: string) => {
      const approval = (await approvals.get(reference))!;
      expect(await approvals.decide(reference, 'approve', approval.pageToken, 'bob')).toBe('approved');
    };
    try {
      clock += 600_000; // a fresh start: earlier links are long expired
      const late = (await client.callTool({ name: 'tts_callout', arguments: CALLOUT(1) })).structuredContent as { confirmationToken: string };
      const inTime = (await client.callTool({ name: 'tts_callout', arguments: CALLOUT(2) })).structuredContent as { confirmationToken: string };
      await approve(late.confirmationToken);
      await approve(inTime.confirmationToken);
      const before = sent().length;
      const ok = await client.callTool({ name: 'tts_callout', arguments: { ...CALLOUT(2), confirmationToken: inTime.confirmationToken } });
      expect(ok.isError).toBeFalsy();
      expect(sent()).toHaveLength(before + 1);

      clock += 120_000; // exactly the deadline shown on the page: too late
      const answer = await client.callTool({ name: 'tts_callout', arguments: { ...CALLOUT(1), confirmationToken: late.confirmationToken } });
      expect(answer.isError).toBe(true);
      expect((answer.content as Array<{ text: string }>)[0]!.text).toMatch(/^\[sandbox\] That approval was given, but its deadline \(.*\) has passed\. Nothing was done/);
      expect(sent()).toHaveLength(before + 1);
    } finally {
      await endSession(client);
    }
  });
});

describe('SINCH_HTTP_ALLOWED_HOSTS adds to the defaults', () => {
  it('the bound address (the approval links) and the listed host are served; any other Host gets 421', async () => {
    const { origin, host } = services.http!.server;
    const page = `${origin}/approve/${'a'.repeat(43)}`;
    expect((await httpRequest(page)).status).toBe(404); // reached the page handler: unknown approval
    expect((await httpRequest(page, { headers: { host: 'team.example.test' } })).status).toBe(404);
    expect((await httpRequest(page, { headers: { host: 'evil.example.test' } })).status).toBe(421);
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
