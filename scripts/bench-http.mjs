// `npm run bench:http`: bundles the SDK's minimal HTTP server (the baseline) and the remote-mode benchmark into
// bench/.build/http, then runs it.
import { rm } from 'node:fs/promises';
import { bundle } from './bundle.mjs';

await rm('bench/.build/http', { recursive: true, force: true });
await bundle({ 'baseline-http': 'bench/baseline-http-server.ts', http: 'bench/http.ts', 'sandbox-process': 'bench/sandbox-process.ts' }, 'bench/.build/http');
await import('../bench/.build/http/http.js');
