// Property-based fuzzing of every tool's arguments: every answer is a valid tool result, nothing crashes,
// and every request that reaches the sandbox is well formed and correctly signed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { STATUSES } from '../../src/tools/envelope.js';
import { type Harness, harness } from '../helpers/mcp.js';

const ROUTE = new RegExp(
  '^/(calling/)?v1/(' +
    [
      'configuration/numbers',
      'configuration/callbacks/applications/[A-Za-z0-9-]+',
      'calling/query/number/\\+[0-9]+',
      'callouts',
      'calls/id/[A-Za-z0-9_.:-]+(/leg/(caller|callee|both))?',
      'conferences/id/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.:-]+)?',
    ].join('|') +
    ')$',
);

const hostile = fc.constantFrom('../configuration/numbers', 'a/b', '%2e%2e%2f', 'x?y=1', '#', '\n', 'аbc', '..', '', ' ', '\u0000', '${SECRET}', '<script>');
const phoneLike = fc.constantFrom('+46 70 816 87 31', '073 017 01 01', '+1 (404) 500-5000', '0046708168731', '+999', '12', 'call mom');
const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), phoneLike), { maxLength: 4 }),
  fc.array(fc.record({ name: fc.constantFrom('say', 'playFiles', 'startRecording', 'stopRecording', 'dance'), text: fc.string(), ids: fc.array(fc.string(), { maxLength: 2 }) }), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  hostile,
  phoneLike,
  idLike,
  fc.constantFrom('voice', 'sms', 'hangup', 'continue', 'number', 'username', 'caller', 'https://hooks.example.com/x', 'SE', 'en-US', 'music1'),
);

let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await harness({ env: { SINCH_DANGEROUSLY_SKIP_CONFIRMATION: 'true', SINCH_MAX_CALLOUTS_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();
});

describe('fuzzing every tool (200 cases each)', () => {
  it.each(ALL_TOOLS.map((tool) => [tool.name, tool] as const))('%s', async (_name, tool) => {
    const keys = Object.keys(tool.input.shape);
    const args = fc.record(Object.fromEntries([...keys, 'confirmationToken', 'extra'].map((key) => [key, anyValue])), { requiredKeys: [] });
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const before = h.sandbox.requests.length;
        // The SDK client validates structuredContent against the output schema and throws if it does not match.
        const result = await h.client.callTool({ name: tool.name, arguments: input });
        expect(Array.isArray(result.content)).toBe(true);
        const text = (result.content as Array<{ type: string; text: string }>)[0]!;
        expect(text.type).toBe('text');
        expect(text.text).not.toMatch(/\n\s+at /);
        if (!result.isError) expect(STATUSES).toContain((result.structuredContent as { status: string }).status);
        for (const request of h.sandbox.requests.slice(before)) {
          reached += 1;
          expect(request.path).toMatch(ROUTE);
          expect(request.status, `${request.method} ${request.path}`).not.toBe(401);
          expect(request.status).not.toBe(403);
          if (request.method === 'POST' || request.method === 'PATCH' || request.path.endsWith('/configuration/numbers') && request.method === 'DELETE') {
            expect(request.body).toBeTypeOf('object');
          } else {
            expect(request.body).toBeUndefined();
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(unhandled).toEqual([]);
    // Reads with no required argument always reach the sandbox; the rest may all be refused, which is fine.
    if (keys.length === 0) expect(reached).toBe(200);
  });
});
