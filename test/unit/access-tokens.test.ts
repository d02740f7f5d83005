// The OAuth2 token cache: one token request for a token's lifetime, shared by concurrent callers, renewed a
// little before expiry by the injected clock (no sleeps), and dropped when Sinch refuses it early.
import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../src/sinch/oauth.js';

function issuer(lifeS = 3600) {
  let issued = 0;
  return {
    count: () => issued,
    issue: async () => ({ value: `token-${++issued}`, expiresInS: lifeS }),
  };
}

describe('AccessTokens', () => {
  it('asks once for many uses, and once for concurrent first uses', async () => {
    const source = issuer();
    const tokens = new AccessTokens(source.issue, () => 0);
    const first = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    for (let i = 0; i < 20; i++) await tokens.get();
    expect(first).toEqual(['token-1', 'token-1', 'token-1']);
    expect(source.count()).toBe(1);
  });

  it('renews a minute before expiry (a tenth of a short life), not after', async () => {
    let now = 0;
    const source = issuer(3600);
    const tokens = new AccessTokens(source.issue, () => now);
    await tokens.get();
    now = 3_539_999;
    expect(await tokens.get()).toBe('token-1');
    now = 3_540_000;
    expect(await tokens.get()).toBe('token-2');

    const short = issuer(100);
    const quick = new AccessTokens(short.issue, () => now);
    await quick.get();
    now += 89_999;
    expect(await quick.get()).toBe('token-1');
    now += 1;
    expect(await quick.get()).toBe('token-2');
  });

  it('asks again after a refused token is dropped, and after a failed request', async () => {
    const source = issuer();
    const tokens = new AccessTokens(source.issue, () => 0);
    tokens.drop(await tokens.get());
    expect(await tokens.get()).toBe('token-2');
    tokens.drop('some-other-token');
    expect(await tokens.get()).toBe('token-2');

    let fail = true;
    const flaky = new AccessTokens(async () => {
      if (fail) throw new Error('down');
      return { value: 'ok', expiresInS: 60 };
    }, () => 0);
    await expect(flaky.get()).rejects.toThrow('down');
    fail = false;
    expect(await flaky.get()).toBe('ok');
  });
});
