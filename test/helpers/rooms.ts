// A conference callout that must succeed, for tests about rooms.
import { expect } from 'vitest';
import type { Harness } from './mcp.js';

/** Calls `destination` into the room (with a label, when given) and returns the new call's id. */
export async function joinRoom(h: Harness, conferenceId: string, destination: string, label?: string): Promise<string> {
  const placed = await h.call('conference_callout', { destination, conferenceId, ...(label ? { label } : {}) });
  expect(placed.isError, placed.text).toBeFalsy();
  return placed.structured.result.callId as string;
}
