// The scopes of remote mode's credentials. Calling scopes nest (call ⊃ moderate ⊃ read); approving is a role of
// its own, which no calling scope implies and which implies none, so the client's token cannot approve its calls.
export const CALLING_SCOPES = ['sinch:read', 'sinch:moderate', 'sinch:call'] as const;
export const APPROVE_SCOPE = 'sinch:approve';
