// The receiver as the bin runs it: off by default (no listening port at all), and on, wired to the sandbox.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { spawnServer } from '../helpers/stdio.js';
import { liveEnv } from '../helpers/sandbox.js';
import { until } from '../helpers/until.js';

/** Inodes of the TCP sockets this process listens on, from /proc. */
function listeningSockets(pid: number): string[] {
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') listening.add(fields[9]!);
    }
  }
  const mine: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode && listening.has(inode)) mine.push(inode);
    } catch {
      // the fd closed meanwhile
    }
  }
  return mine;
}

describe('callback receiver in the bin', () => {
  it('is off by default: the server listens on no port', async () => {
    let sandbox: Sandbox | undefined = await startSandbox();
    const server = await spawnServer({
      ...liveEnv(sandbox),
    });
    try {
      await server.client.callTool({ name: 'list_numbers', arguments: {} });
      const pid = server.transport.pid!;
      expect(listeningSockets(pid)).toEqual([]);
      // Waiting still works without it: the server watches Sinch instead.
      expect((await server.client.listTools()).tools.map((t) => t.name)).toContain('wait_for_call_event');
    } finally {
      await server.close();
      await sandbox.close();
      sandbox = undefined;
    }
  });

  it('when on, in sandbox mode: the embedded sandbox delivers signed callbacks to it and the agent sees them', async () => {
    const publicUrl = 'https://tunnel.example.test/sinch/events';
    const server = await spawnServer({ SINCH_CALLBACK_PORT: '0', SINCH_CALLBACK_PUBLIC_URL: publicUrl, SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' });
    try {
      const call = async (name: string, args: Record<string, unknown>) =>
        (await server.client.callTool({ name, arguments: args })).structuredContent as { result: Record<string, any> };
      expect(listeningSockets(server.transport.pid!)).toHaveLength(1);
      expect(server.stderr()).toMatch(/callback receiver on http:\/\/127\.0\.0\.1:\d+\/sinch\/events/);
      await call('update_callback_urls', { primary: publicUrl });
      const placed = await call('conference_callout', { destination: '+46708168731', conferenceId: 'bin-room', enableAce: true });
      const ace = await call('wait_for_call_event', { callIds: [placed.result.callId], events: ['ace'], timeoutSeconds: 10, afterSeq: 0 });
      expect(ace.result.events[0]).toMatchObject({ type: 'ace', conferenceId: 'bin-room' });
      const participants = await until(
        async () => {
          const listed: unknown[] = (await call('get_conference', { conferenceId: 'bin-room' })).result.participants;
          return listed.length > 0 && listed;
        },
        { what: 'the caller in bin-room' },
      );
      expect(participants).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
