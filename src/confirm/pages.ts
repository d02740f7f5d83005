// Where approval pages live: the pending approvals and the URL of each one's page. On this machine, a page
// server on 127.0.0.1 started the first time a person is asked through one; in remote mode, the HTTP port.
import { APPROVAL_PATH, type Approvals } from './approvals.js';
import type { ApprovalServer } from './page-server.js';
import type { HttpServer, ListenOptions } from '../support/http-server.js';

export interface ApprovalPages {
  approvals: Approvals;
  urlFor(id: string): Promise<string>;
  close(): Promise<void>;
}

/** The local page's port: 127.0.0.1 only, and a page a person reads needs no long-lived or slow connections. */
export const APPROVAL_LISTEN = (port: number): ListenOptions => ({ host: '127.0.0.1', port, limits: { maxConnections: 64 } });

/** `port`: any free port (0), or the fixed SINCH_APPROVAL_PORT already bound at start (compose.ts). */
export function localApprovalPages(port: number | HttpServer, approvals: Approvals): ApprovalPages {
  let server: Promise<ApprovalServer> | undefined;
  const bind = async () => (typeof port === 'number' ? (await import('../support/http-server.js')).listen(APPROVAL_LISTEN(port)) : port);
  return {
    approvals,
    async urlFor(id) {
      // Loaded on first use: most sessions never need the page server.
      server ??= Promise.all([bind(), import('./page-server.js')])
        .then(([bound, { startApprovalServer }]) => startApprovalServer({ server: bound, approvals }))
        .catch((error: unknown) => {
          server = undefined; // a later request may try again (e.g. once the port is free)
          throw error;
        });
      return (await server).urlFor(id);
    },
    async close() {
      await (await server?.catch(() => undefined))?.close();
    },
  };
}

/**
 * Remote mode: the pages are served by the HTTP edge, at the origin of `baseUrl` (the public URL, or the bound
 * port's). Undefined only where no port was bound (the build scripts): then there is no page to link to.
 */
export function remoteApprovalPages(baseUrl: string | undefined, approvals: Approvals): ApprovalPages {
  const origin = baseUrl && new URL(baseUrl).origin;
  return {
    approvals,
    async urlFor(id) {
      if (!origin) throw new Error('remote mode without a bound port serves no approval page');
      return `${origin}${APPROVAL_PATH}${id}`;
    },
    close: async () => undefined,
  };
}
