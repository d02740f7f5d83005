// The tool list as clients see it: names, schemas, annotations and descriptions.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationsFor, isGuarded } from '../../src/tools/define.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { VERSION } from '../../src/support/version.js';
import { type Harness, harness } from '../helpers/mcp.js';

let h: Harness;
let tools: Awaited<ReturnType<Harness['client']['listTools']>>['tools'];
beforeAll(async () => {
  // With the callback receiver configured, so every tool is listed.
  h = await harness({ callbacksAt: 'https://example.test/sinch/events' });
  tools = (await h.client.listTools()).tools;
});
afterAll(() => h.close());

const GUARDED = ['hangup_call', 'manage_call', 'kick_participant', 'kick_all_participants', 'tts_callout', 'conference_callout', 'unassign_number', 'assign_numbers', 'update_callback_urls'];

function propertyKeys(schema: unknown, found: string[] = []): string[] {
  if (schema && typeof schema === 'object') {
    const properties = (schema as { properties?: Record<string, unknown> }).properties;
    if (properties) found.push(...Object.keys(properties));
    for (const value of Object.values(schema)) propertyKeys(value, found);
  }
  return found;
}

describe('tool catalogue', () => {
  it('exposes the Calling API tools by their contract names, plus wait_for_call_event in every configuration (it watches Sinch when no receiver is on)', async () => {
    const api = [
      'list_numbers', 'assign_numbers', 'unassign_number', 'get_callback_urls', 'update_callback_urls', 'lookup_number',
      'get_call_result', 'manage_call', 'hangup_call', 'get_conference', 'mute_participants', 'unmute_participants', 'hold_participant', 'resume_participant',
      'kick_participant', 'kick_all_participants', 'tts_callout', 'conference_callout',
    ];
    expect(tools.map((t) => t.name).sort()).toEqual([...api, 'wait_for_call_event'].sort());
    const withoutReceiver = await harness();
    try {
      expect((await withoutReceiver.client.listTools()).tools.map((t) => t.name).sort()).toEqual([...api, 'wait_for_call_event'].sort());
    } finally {
      await withoutReceiver.close();
    }
  });

  it('keeps the context cost (name, description, input schema of every tool) under 16 KB', () => {
    const bytes = tools.reduce((sum, t) => sum + JSON.stringify({ name: t.name, description: t.description, inputSchema: t.inputSchema }).length, 0);
    expect(bytes).toBeLessThanOrEqual(16_000);
  });

  it('answers tools/list in at most 20 KB in the default configuration (a person confirms, no receiver)', async () => {
    const plain = await harness({ env: { SINCH_CONFIRMATION_MODE: 'auto' } });
    try {
      const answer = JSON.stringify(await plain.client.listTools());
      expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(20_000);
    } finally {
      await plain.close();
    }
  });

  it('every input property key matches ^[a-zA-Z0-9_.-]{1,64}$', () => {
    for (const tool of tools) {
      const keys = propertyKeys(tool.inputSchema);
      for (const key of keys) expect(key, `${tool.name}.${key}`).toMatch(/^[a-zA-Z0-9_.-]{1,64}$/);
    }
  });

  it('annotations follow each tool’s declared kind, and read tools are exactly the readOnly ones', () => {
    for (const definition of ALL_TOOLS) {
      const listed = tools.find((t) => t.name === definition.name)!;
      expect(listed.annotations, definition.name).toEqual(annotationsFor(definition.kind));
      expect(listed.title).toBe(definition.title);
    }
    const kinds = Object.fromEntries(ALL_TOOLS.map((t) => [t.name, t.kind]));
    expect(kinds).toMatchObject({
      mute_participants: 'reversible',
      unmute_participants: 'reversible',
      hold_participant: 'reversible',
      resume_participant: 'reversible',
      tts_callout: 'costly',
      conference_callout: 'costly',
      hangup_call: 'destructive',
    });
  });

  it('guards exactly the tools the safety model names, and only they take a confirmationToken', () => {
    expect(ALL_TOOLS.filter(isGuarded).map((t) => t.name).sort()).toEqual([...GUARDED].sort());
    for (const tool of tools) {
      const hasToken = Object.keys((tool.inputSchema as { properties: object }).properties).includes('confirmationToken');
      expect(hasToken, tool.name).toBe(GUARDED.includes(tool.name));
    }
  });

  it('every tool has a title, an output schema and a description that says what, when and an example', () => {
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.outputSchema, tool.name).toBeTruthy();
      expect(tool.description!.length, tool.name).toBeGreaterThan(80);
      expect(tool.description, tool.name).toMatch(/Example:/);
      expect(tool.description, tool.name).toMatch(/Free|confirmation|billed|Undo|undo|room hears/);
    }
  });

  // The event switches are named after the events wait_for_call_event describes; a timeout has its range and default.
  const SELF_EXPLAINING = new Set(['callId', 'conferenceId', 'enableAce', 'enableDice', 'enablePie', 'timeoutSeconds']);

  it('describes every input property but the ids, event switches and timeout, whose names say what they are', () => {
    for (const tool of tools) {
      const properties = (tool.inputSchema as { properties: Record<string, { description?: string }> }).properties;
      for (const [key, property] of Object.entries(properties)) {
        if (!SELF_EXPLAINING.has(key)) expect(property.description, `${tool.name}.${key}`).toBeTruthy();
      }
    }
  });

  it('matches the snapshot, so schema changes are deliberate', async () => {
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('../__snapshots__/tools.json');
  });

  it('keeps the version in step with package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
