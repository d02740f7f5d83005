// Pending approvals across a Redis outage, on a real redis-server run as deploy/docker-compose.yml runs it
// (appendonly yes): a 3 s cut and an 8 s stall do not fail the waiting call, and the page says "approved" only
// once the waiting call has taken the approval.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Approvals } from '../../src/confirm/approvals.js';
import { RedisState } from '../../src/state/redis.js';
import { decide, httpRequest, urlRecorder } from '../helpers/approval.js';
import { harness } from '../helpers/mcp.js';
import { startRedisServer } from '../helpers/redis.js';
import { type FaultScene, SECRET, faultScene } from '../helpers/redis-faults.js';
import { until } from '../helpers/until.js';

const TTS = { destination: '+46 70 816 87 31', text: 'The server room is on fire', cli: '+1 404 500 5000' };

let scene: FaultScene;
beforeEach(() => {
  scene = faultScene();
});
afterEach(() => scene.cleanUp());

/** An instance on the scene's Redis whose guarded calls wait on the approval page (the browser stand-in gets its URL). */
async function pageInstance(approvalPollMs: number) {
  const browser = urlRecorder();
  scene.h = await harness({
    env: { SINCH_CONFIRMATION_MODE: 'page', SINCH_REDIS_URL: scene.redis!.url, SINCH_STATE_SECRET: SECRET },
    openUrl: browser.open,
    timing: { approvalPollMs },
  });
  return { h: scene.h, browser };
}

/** Waits for a span of wall-clock time: the outage's length is what the scenario is about. */
function lasted(since: number, ms: number, what: string) {
  return until(() => Date.now() - since >= ms, { what, timeoutMs: ms + 2_000, intervalMs: 100 });
}

describe('pending approvals survive a short Redis outage', () => {
  it('Redis cut for 3 s and stalled for 8 s during an approval: approved once, sent once', async () => {
    const persistDir = scene.persistDir();
    let redis = (scene.redis = await startRedisServer({ persistDir }));
    const { port } = redis;
    const { stderr } = scene;
    const { h, browser } = await pageInstance(250);
    const pending = h.call('tts_callout', TTS);
    const url = await browser.next();

    // The cut: redis-server killed, the waiter's reads fail, then it is back on the same port with its file.
    const cutAt = Date.now();
    await redis.kill();
    await until(() => stderr().includes('lost the connection to Redis'), { what: 'the connection loss to be noticed' });
    await lasted(cutAt, 3_000, 'a 3 s cut');
    redis = scene.redis = await startRedisServer({ port, persistDir });
    await until(() => stderr().includes('restored'), { what: 'the reconnection', timeoutMs: 5_000 });

    // The stall: the server holds the connections but answers nothing past the 5 s command timeout.
    const stalledAt = Date.now();
    redis.pause();
    await lasted(stalledAt, 8_000, 'an 8 s stall');
    redis.resume();

    expect(h.sent()).toEqual([]);
    const approved = await decide(url, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toContain('Approved');
    const result = await pending;
    expect(result.structured.status).toBe('done');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
    // A second click changes nothing.
    expect((await decide(url, 'approve', { token: 'x'.repeat(43) })).status).toBe(403);
    expect((await httpRequest(url)).body).toContain('Approved');
    expect(h.sent()).toEqual(['POST /calling/v1/callouts']);
    expect(stderr()).not.toContain('came back without its data');
  }, 30_000);

  it('the page does not say "approved" when the waiting call is gone; the approval then reads as cancelled', async () => {
    const redis = (scene.redis = await startRedisServer());
    const waiting = await RedisState.connect(redis.url);
    const page = await RedisState.connect(redis.url);
    try {
      const instanceA = new Approvals(waiting, { pollMs: 100 });
      const instanceB = new Approvals(page, { pollMs: 100, claimWaitMs: 300 });
      const preview = { title: 'Call', summary: 'call +46…', request: 'POST /calling/v1/callouts', facts: [], rows: [] } as any;
      const approval = await instanceA.create(preview, 60_000);
      instanceA.close(); // its server stops: nobody will take the approval
      expect((await approval.settled).state).toBe('cancelled');
      expect(await instanceB.decide(approval.id, 'approve', approval.pageToken)).toBe('unclaimed');
      expect((await instanceB.get(approval.id))?.state).toBe('cancelled');
    } finally {
      await waiting.close();
      await page.close();
    }
  });

  it('a Redis restart that lost the approval says so, and what to do', async () => {
    const { port } = (scene.redis = await startRedisServer());
    const { stderr } = scene;
    const { h, browser } = await pageInstance(100);
    const pending = h.call('tts_callout', TTS);
    const url = await browser.next();
    await scene.redis.kill();
    scene.redis = await startRedisServer({ port }); // no persistence: it comes back empty
    const result = await pending;
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/The approval was lost: the shared state \(Redis\) no longer holds it/);
    expect(result.text).toMatch(/Nothing was done\. Call again/);
    expect(result.text).not.toContain('does not belong');
    await until(() => stderr().includes('came back without its data'), { what: 'the loss to be reported' });
    expect((await httpRequest(url)).status).toBe(404);
    expect(h.sent()).toEqual([]);
  }, 20_000);
});
