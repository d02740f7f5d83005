// What the Sinch client needs to authenticate: owned here so the HTTP layer depends on nothing above it.
export type AuthScheme = 'signed' | 'basic';

export interface Credentials {
  key: string;
  secret: string;
}
