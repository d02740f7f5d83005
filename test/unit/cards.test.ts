// The approval cards of one session: bounded in number, and gone with the session.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardApprovals, CardLimitError } from '../../src/confirm/cards.js';
import type { Preview } from '../../src/confirm/preview.js';

const PREVIEW: Preview = { title: 'T', facts: [], summary: 's', request: 'DELETE /x', rows: [] };
const card = (cards: CardApprovals, n: number) => cards.create({ preview: PREVIEW, tool: 'kick_all_participants', arguments: { conferenceId: `room-${n}` } });

afterEach(() => {
  vi.useRealTimers();
});

describe('CardApprovals', () => {
  it('at most 10 wait at once in a session; a settled card makes room', async () => {
    const cards = new CardApprovals(60_000);
    const waiting = Array.from({ length: 10 }, (_, n) => card(cards, n));
    expect(() => card(cards, 10)).toThrow(CardLimitError);
    const controller = new AbortController();
    const decided = waiting[0]!.decision(controller.signal);
    controller.abort(); // the tool call was cancelled: its card with it
    expect(await decided).toBe('cancelled');
    expect(() => card(cards, 11)).not.toThrow();
    cards.close();
  });

  it('keeps settled cards for their views, but never more than 50 cards in all', async () => {
    vi.useFakeTimers();
    const cards = new CardApprovals(60_000);
    for (let n = 0; n < 200; n++) {
      const controller = new AbortController();
      const decided = card(cards, n).decision(controller.signal);
      controller.abort();
      await decided;
    }
    expect(cards.size).toBeLessThanOrEqual(50);
    cards.close();
    expect(cards.size).toBe(0);
  });
});
