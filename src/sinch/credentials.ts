// What the Sinch client needs to authenticate: owned here so the HTTP layer depends on nothing above it.
export type AuthScheme = 'signed' | 'basic';

export interface Credentials {
  key: string;
  secret: string;
}

/** A Sinch project access key (dashboard, Access Keys): OAuth2 client credentials for the project-scoped APIs. */
export interface ProjectCredentials {
  projectId: string;
  keyId: string;
  keySecret: string;
}
