// `npm run demo`: bundles the demo client into .build/demo (outside dist/, so it is not published, and with
// ajv, which its SDK Client uses), then runs it against the built server in dist/.
import { rm } from 'node:fs/promises';
import { bundle } from './bundle.mjs';

await rm('.build/demo', { recursive: true, force: true });
await bundle({ demo: 'src/demo.ts' }, '.build/demo');
await import('../.build/demo/demo.js');
