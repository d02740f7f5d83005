// With no credentials the bin runs its own embedded sandbox, says so, and marks every result.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BIN, type StdioServer, spawnServer } from '../helpers/stdio.js';

const run = promisify(execFile);
let server: StdioServer;

beforeAll(async () => {
  server = await spawnServer();
});
afterAll(() => server?.close());

describe('sandbox mode over stdio', () => {
  it('says sandbox in instructions, on stderr once, and in every result', async () => {
    expect(server.client.getInstructions()).toMatch(/SANDBOX MODE/);
    const numbers = await server.client.callTool({ name: 'list_numbers', arguments: {} });
    expect((numbers.structuredContent as { sandbox: boolean }).sandbox).toBe(true);
    expect((numbers.content as Array<{ text: string }>)[0]!.text).toMatch(/^\[sandbox/);
    const refused = await server.client.callTool({ name: 'get_call_result', arguments: { callId: 'nope' } });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(/^\[sandbox\]/);
    expect(server.stderr().match(/sandbox mode/g)).toHaveLength(1);
    expect(server.protocolErrors).toEqual([]);
  });
});

describe('guards over stdio', () => {
  it('asks through elicitation and acts only on accept', async () => {
    const asked: string[] = [];
    let answer: 'accept' | 'decline' = 'decline';
    const elicited = await spawnServer({}, [], (message) => (asked.push(message), answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' }));
    try {
      const args = { destination: '+46 70 816 87 31', text: 'Hello' };
      const declined = await elicited.client.callTool({ name: 'tts_callout', arguments: args });
      expect((declined.structuredContent as { status: string }).status).toBe('declined');
      answer = 'accept';
      const placed = await elicited.client.callTool({ name: 'tts_callout', arguments: args });
      expect((placed.structuredContent as { status: string; result: { callId: string } }).result.callId).toMatch(/^[a-f0-9]{32}$/);
      expect(asked).toHaveLength(2);
      expect(asked[0]).toMatch(/^Sandbox: nothing real happens.*\nCall \+46 70 816 87 31 /);
    } finally {
      await elicited.close();
    }
  });

  it('with the skip switch, warns on stderr at start and acts at once', async () => {
    const unattended = await spawnServer({ SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true' });
    try {
      const result = await unattended.client.callTool({ name: 'kick_all_participants', arguments: { conferenceId: 'nobody-here' } });
      // Acted at once: the sandbox answered (404, no such room) instead of a confirmation preview.
      expect(result.isError).toBe(true);
      expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/404/);
      expect(unattended.stderr()).toMatch(/WARNING: SINCH_DANGEROUSLY_SKIP_CONFIRMATION is set/);
    } finally {
      await unattended.close();
    }
  });
});

describe('the bin outside MCP', () => {
  it('--print-config shows mode, tools and guards, with secrets masked', async () => {
    const secret = 'Y2FuYXJ5LXNlY3JldC12YWx1ZQ==';
    const { stdout } = await run(process.execPath, [SERVER_BIN, '--print-config', '--read-only'], {
      env: { PATH: process.env.PATH, SINCH_APPLICATION_KEY: 'live-key-1234', SINCH_APPLICATION_SECRET: secret, SINCH_REGION: 'euc1' },
    });
    expect(stdout).toContain('mode:               live');
    expect(stdout).toContain('https://calling-euc1.api.sinch.com/calling/v1');
    expect(stdout).toContain('live…34');
    expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain('live-key-1234');
    expect(stdout).toContain('tools (6):');
    expect(stdout).not.toContain('hangup_call');
  });

  it('--print-config shows the callback URL to register when the receiver is on', async () => {
    const { stdout } = await run(process.execPath, [SERVER_BIN, '--print-config'], {
      env: { PATH: process.env.PATH, SINCH_CALLBACK_PORT: '8787', SINCH_CALLBACK_PUBLIC_URL: 'https://tunnel.example.test/sinch/events' },
    });
    expect(stdout).toContain('listens on 127.0.0.1:8787, path /sinch/events; register https://tunnel.example.test/sinch/events with update_callback_urls');
    expect(stdout).toContain('wait_for_call_event');
  });

  it('a bad variable gets one clear line on stderr and a non-zero exit', async () => {
    const failure = await run(process.execPath, [SERVER_BIN], { env: { PATH: process.env.PATH, SINCH_APPLICATION_KEY: 'k' } }).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure.stderr).toMatch(/SINCH_APPLICATION_SECRET is missing/);
    expect(failure.stdout).toBe('');
  });

  it('refuses credentials passed as arguments', async () => {
    const failure = await run(process.execPath, [SERVER_BIN, '--secret=abc'], { env: { PATH: process.env.PATH } }).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/never from arguments/);
  });
});
