// `npm run deploy:check`: bundles deploy/check.ts into .build, then runs it (needs nginx and redis-server).
import { bundle } from './bundle.mjs';

await bundle({ 'deploy-check': 'deploy/check.ts' }, '.build/deploy-check');
await import('../.build/deploy-check/deploy-check.js');
