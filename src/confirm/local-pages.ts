// Approval pages served on 127.0.0.1, started the first time a person is asked through one.
import { Approvals } from './approvals.js';
import type { ApprovalPages } from './ask.js';
import type { ApprovalServer } from './page-server.js';
import type { SharedState } from '../state/shared.js';

export interface LocalApprovalPages extends ApprovalPages {
  close(): Promise<void>;
}

export function localApprovalPages(port: number, state?: SharedState): LocalApprovalPages {
  const approvals = new Approvals(state);
  let server: Promise<ApprovalServer> | undefined;
  return {
    approvals,
    async urlFor(id) {
      // Loaded on first use: most sessions never need the page server.
      server ??= import('./page-server.js')
        .then(({ startApprovalServer }) => startApprovalServer({ port, approvals }))
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
