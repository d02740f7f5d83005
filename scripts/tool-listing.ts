// Build step: asks the real server for the full tool list and writes it to dist/tool-listing.json. The bin
// serves that file instead of converting 32 zod schemas to JSON Schema at every start-up; a test checks
// the two are identical.
import { writeFileSync } from 'node:fs';
import { VIEWS_CLIENT, startInMemoryServer } from './in-memory-server.js';

// With the callback receiver configured, in token mode, and for a client that shows views, so the listing holds
// every tool and every field (src/mcp/listing.ts serves each configuration its part).
const server = await startInMemoryServer(
  {
    SINCH_CALLBACK_PORT: '0',
    SINCH_CALLBACK_PUBLIC_URL: 'https://example.invalid/sinch/events',
    SINCH_CONFIRMATION_MODE: 'token',
  },
  { capabilities: VIEWS_CLIENT },
);
const { tools } = await server.request('tools/list');
writeFileSync(process.argv[2]!, JSON.stringify(tools));
await server.close();
