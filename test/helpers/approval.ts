// Drives an approval page the way a browser (or an attacker) would: plain HTTP, any headers.
import { request } from 'node:http';

export interface PageResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<PageResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The per-page token the form carries. */
export function pageToken(html: string): string {
  const match = /name="token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no token in the page');
  return match[1]!;
}

/** Posts a decision as the page's own form would, unless the options forge part of it. */
export async function decide(
  url: string,
  decision: 'approve' | 'deny',
  forge: { token?: string; origin?: string | null; host?: string } = {},
): Promise<PageResponse> {
  const origin = new URL(url).origin;
  const token = forge.token ?? pageToken((await httpRequest(url)).body);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (forge.origin !== null) headers.origin = forge.origin ?? origin;
  if (forge.host) headers.host = forge.host;
  return httpRequest(url, { method: 'POST', headers, body: new URLSearchParams({ token, decision }).toString() });
}

/** Resolves with the next URL handed to the browser stand-in. */
export function urlRecorder() {
  const urls: string[] = [];
  const waiters: Array<() => void> = [];
  let taken = 0;
  return {
    urls,
    open: async (url: string) => {
      urls.push(url);
      waiters.shift()?.();
      return { ok: true as const };
    },
    async next(): Promise<string> {
      if (urls.length <= taken) await new Promise<void>((resolve) => waiters.push(resolve));
      return urls[taken++]!;
    },
  };
}
