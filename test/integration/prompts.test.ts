// Prompts are listed only when the tools they walk an agent through are registered.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/mcp.js';

let h: Harness;
afterEach(async () => h?.close());

const promptNames = async () => (await h.client.listPrompts()).prompts.map((prompt) => prompt.name).sort();

describe('prompts follow the registered tools', () => {
  it('all tools: both prompts', async () => {
    h = await harness();
    expect(await promptNames()).toEqual(['lookup_numbers', 'moderate_conference']);
  });

  it('read-only: no moderation prompt (its tools cannot act), the lookup prompt stays', async () => {
    h = await harness({ env: { SINCH_READ_ONLY: 'true' } });
    expect(await promptNames()).toEqual(['lookup_numbers']);
  });

  it('toolsets without lookup: no lookup prompt', async () => {
    h = await harness({ env: { SINCH_TOOLSETS: 'conferences,calls' } });
    expect(await promptNames()).toEqual(['moderate_conference']);
  });
});

describe('the moderation prompt tells the model how removals are approved here', () => {
  const moderationText = async () => {
    const prompt = await h.client.getPrompt({ name: 'moderate_conference', arguments: { conferenceId: 'sales-weekly' } });
    return (prompt.messages[0]!.content as { text: string }).text;
  };

  it('token mode: relay the token only after the user agrees', async () => {
    h = await harness({ env: { SINCH_CONFIRMATION_MODE: 'token' } });
    expect(await moderationText()).toMatch(/only pass the confirmationToken after I agree/);
  });

  it('where a person approves directly: no token is mentioned', async () => {
    h = await harness({ env: { SINCH_CONFIRMATION_MODE: 'auto' } });
    const text = await moderationText();
    expect(text).not.toMatch(/confirmationToken/);
    expect(text).toMatch(/asks me to approve it once more, in a dialog or on an approval page/);
  });
});
