// The sandbox sends callbacks to loopback addresses only: a confirmed update_callback_urls to a public URL
// never makes it open a connection there. No network is used: fetch is spied on, and non-loopback calls
// are answered by the spy itself (so even a regression would not reach the internet).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLoopbackUrl } from '../../src/sandbox/callbacks.js';
import { harness } from '../helpers/mcp.js';
import { until } from '../helpers/until.js';

const PUBLIC_URL = 'https://tunnel.example.test/sinch/events';

function spyOnFetch(): string[] {
  const targets: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    targets.push(url);
    return isLoopbackUrl(url) ? real(input, init) : Promise.resolve(new Response('', { status: 200 }));
  });
  return targets;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sandbox callbacks: loopback only', () => {
  it('never calls a public callback URL, before or after the deliverTo mapping', async () => {
    const targets = spyOnFetch();
    const h = await harness({ callbacksAt: PUBLIC_URL, env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' } });
    try {
      for (const [i, elsewhere] of ['https://hooks.example.com/sinch', 'https://127.0.0.1.nip.io/sinch'].entries()) {
        expect((await h.call('update_callback_urls', { primary: elsewhere })).isError).toBeFalsy();
        const placed = await h.call('tts_callout', { destination: `+4670816873${i}`, text: 'Hello', enableAce: true, enableDice: true });
        const callId = placed.structured.result.callId as string;
        // The sandbox marks each callback once it has gone out or been skipped: the ACE while the call is up, then the DiCE.
        const call = () => h.sandbox.state.calls.get(callId);
        await until(() => call()?.awaitingAce === false, { what: 'the sandbox to be done with the ACE' });
        expect((await h.call('hangup_call', { callId })).isError).toBeFalsy();
        await until(() => call()?.diceSent === true, { what: 'the sandbox to be done with the DiCE' });
      }
      expect(targets).toEqual([]);
      expect(h.events!.size()).toBe(0);

      // Control: the URL that maps to the local receiver still gets its ACE and DiCE.
      await h.call('update_callback_urls', { primary: PUBLIC_URL });
      const placed = await h.call('tts_callout', { destination: '+46708168739', text: 'Hello', enableAce: true, enableDice: true });
      await until(() => h.events!.list({ callId: placed.structured.result.callId, types: ['ace'] }).length > 0, { what: 'the ACE at the local receiver' });
      expect(targets.length).toBeGreaterThan(0);
      expect(targets.every((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  it.each([
    ['http://127.0.0.1:8787/sinch/events', true],
    ['https://127.45.6.7/x', true],
    ['http://localhost:9/x', true],
    ['http://[::1]:8080/x', true],
    ['http://2130706433/x', true],
    ['http://0x7f.1/x', true],
    ['https://example.com/x', false],
    ['https://127.0.0.1.nip.io/x', false],
    ['http://localhost.example.com/x', false],
    ['http://0.0.0.0/x', false],
    ['http://[::ffff:c0a8:1]/x', false],
    ['http://10.0.0.1/x', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('isLoopbackUrl(%s) is %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
