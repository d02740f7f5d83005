// Who may decide an approval on the remote page: an approver's own credential, never the caller's token, and
// the caller's own subject only where the operator allows self-approval and four eyes is off.
import { describe, expect, it } from 'vitest';
import type { Approval } from '../../src/confirm/approvals.js';
import { approverRefusal } from '../../src/confirm/approver-rules.js';
import { loadConfig, readConfig } from '../../src/config/config.js';

const approval = { context: { requestedBy: 'dana', requestedWith: 'hash-of-danas-call-token' } } as Approval;
const DEFAULT = { allowSelfApproval: false, fourEyes: false };
const anna = { subject: 'anna', scopes: ['sinch:approve'], credential: 'hash-of-annas-token' };
const danaApprover = { subject: 'dana', scopes: ['sinch:approve'], credential: 'hash-of-danas-approver-token' };

describe('approver rules', () => {
  it('another person with sinch:approve may decide', () => {
    expect(approverRefusal(approval, anna, DEFAULT)).toBeUndefined();
  });

  it('calling scopes, even sinch:call, do not approve', () => {
    expect(approverRefusal(approval, { ...anna, scopes: ['sinch:call', 'sinch:moderate', 'sinch:read'] }, DEFAULT)).toMatch(/needs the sinch:approve scope/);
  });

  it('the token that made the call never approves it, whatever the settings', () => {
    for (const rules of [DEFAULT, { allowSelfApproval: true, fourEyes: false }]) {
      expect(approverRefusal(approval, { ...danaApprover, credential: 'hash-of-danas-call-token' }, rules)).toMatch(/The token that made this call cannot approve it/);
    }
  });

  it('the caller with another token: refused by default, allowed with SINCH_ALLOW_SELF_APPROVAL, refused again with SINCH_FOUR_EYES', () => {
    expect(approverRefusal(approval, danaApprover, DEFAULT)).toMatch(/dana asked for this action and may not also approve it/);
    expect(approverRefusal(approval, danaApprover, { allowSelfApproval: true, fourEyes: false })).toBeUndefined();
    expect(approverRefusal(approval, danaApprover, { allowSelfApproval: false, fourEyes: true })).toMatch(/Four eyes: dana asked for this action/);
  });

  it('configuration: both off by default; four eyes wins over self-approval, with a warning', () => {
    const tokens = { SINCH_HTTP: 'true', SINCH_HTTP_TOKENS_FILE: '/nonexistent/tokens' };
    expect(loadConfig(tokens).http!.approvers).toEqual({ allowSelfApproval: false, fourEyes: false });
    expect(loadConfig({ ...tokens, SINCH_ALLOW_SELF_APPROVAL: 'true' }).http!.approvers).toEqual({ allowSelfApproval: true, fourEyes: false });
    const both = readConfig({ ...tokens, SINCH_ALLOW_SELF_APPROVAL: 'true', SINCH_FOUR_EYES: 'true' });
    expect(both.config.http!.approvers).toEqual({ allowSelfApproval: false, fourEyes: true });
    expect(both.warnings.join('\n')).toMatch(/SINCH_ALLOW_SELF_APPROVAL is ignored: SINCH_FOUR_EYES=true/);
  });
});
