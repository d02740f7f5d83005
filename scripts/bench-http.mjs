// `npm run bench:http`: bundles the remote-mode benchmark into bench/.build, then runs it.
import { rm } from 'node:fs/promises';
import { bundle } from './bundle.mjs';

await rm('bench/.build/http', { recursive: true, force: true });
await bundle({ http: 'bench/http.ts' }, 'bench/.build/http');
await import('../bench/.build/http/http.js');
