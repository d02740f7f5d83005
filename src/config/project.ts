// Sinch project credentials (SINCH_PROJECT_ID, SINCH_KEY_ID, SINCH_KEY_SECRET) for Number Lookup: all three or
// none, from the environment only. Errors name the variable to fix; the secret is never repeated.
import type { ProjectCredentials } from '../sinch/credentials.js';
import { ConfigError } from './error.js';
import type { ConfigSources } from './sources.js';

const NAMES = ['SINCH_PROJECT_ID', 'SINCH_KEY_ID', 'SINCH_KEY_SECRET'] as const;

export function projectCredentials(s: ConfigSources): ProjectCredentials | undefined {
  const [projectId, keyId, keySecret] = NAMES.map((name) => s.fromEnvironment(name));
  const missing = NAMES.filter((_name, i) => [projectId, keyId, keySecret][i] === undefined);
  if (missing.length === NAMES.length) return undefined;
  if (missing.length) {
    throw new ConfigError(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: Number Lookup (lookup-plus) needs ${NAMES.join(', ')} together (a project access key from the Sinch dashboard), or none of them.`);
  }
  // The project id goes into the request path; the key id into a basic-auth user name, where a colon would split it.
  if (!/^[A-Za-z0-9-]{1,64}$/.test(projectId!)) throw new ConfigError(`SINCH_PROJECT_ID=${JSON.stringify(projectId)} is not a project id; copy it from the Sinch dashboard (letters, digits and dashes).`);
  if (!/^[\x21-\x7e]{1,128}$/.test(keyId!) || keyId!.includes(':')) throw new ConfigError('SINCH_KEY_ID is not an access key id; copy the key id from the Sinch dashboard (Access Keys), without spaces or colons.');
  return { projectId: projectId!, keyId: keyId!, keySecret: keySecret! };
}
