// The built bin (no ajv inside: its form answers are checked by src/mcp/form-schema-validator.ts) with a
// client that has a form dialog, in live mode against a separate sandbox so the test sees every request
// that reaches "Sinch": one on approval, none on a decline or on an answer that does not fit the form.
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { liveEnv } from '../helpers/sandbox.js';
import { type StdioServer, spawnServer } from '../helpers/stdio.js';

let sandbox: Sandbox;
let server: StdioServer;
let answer: ElicitResult;
const asked: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ timing: { answerAfterMs: 0, ttsDurationMs: 60_000 } });
  server = await spawnServer(liveEnv(sandbox), [], (message) => (asked.push(message), answer));
}, 30_000);
afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});
beforeEach(() => {
  sandbox.requests.length = 0;
  asked.length = 0;
});

const callout = () => server.client.callTool({ name: 'tts_callout', arguments: { destination: '+46 70 816 87 31', text: 'Hello' } });
const sent = () => sandbox.requests.map((request) => `${request.method} ${request.path}`);

describe('form elicitation through the built bin', () => {
  it('a person who approves in the dialog makes exactly one callout reach Sinch', async () => {
    answer = { action: 'accept', content: { confirm: true } };
    const placed = await callout();
    expect((placed.structuredContent as { result: { callId: string } }).result.callId).toMatch(/^[a-f0-9]{32}$/);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/\+46 70 816 87 31, Sweden, mobile/);
    expect(sent()).toEqual(['POST /calling/v1/callouts']);
  });

  it('a decline sends nothing', async () => {
    answer = { action: 'decline' };
    const declined = await callout();
    expect((declined.structuredContent as { status: string }).status).toBe('declined');
    expect(asked).toHaveLength(1);
    expect(sent()).toEqual([]);
  });

  it('an accepted answer that does not fit the form is refused, naming the field, and sends nothing', async () => {
    answer = { action: 'accept', content: { confirm: 'yes' } };
    const refused = await callout();
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(/Could not get the user’s confirmation \(.*confirm must be true or false\)\. Nothing was done\./);
    expect(sent()).toEqual([]);
  });
});
