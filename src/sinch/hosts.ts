// Where today's API lives (sinch-api-facts.md §3): calls, conferences and callouts on the regional
// calling host; numbers, callbacks and number queries on the application-management host.

export const REGIONS = ['global', 'use1', 'euc1', 'sae1', 'apse1', 'apse2'] as const;
export type Region = (typeof REGIONS)[number];

export const DEFAULT_MANAGEMENT_URL = 'https://callingapi.sinch.com/v1';

export function callingUrlFor(region: Region): string {
  const suffix = region === 'global' ? '' : `-${region}`;
  return `https://calling${suffix}.api.sinch.com/calling/v1`;
}

/** Which base URL an endpoint uses. */
export type ApiBase = 'calling' | 'management';

/** True for an https URL on sinch.com or one of its subdomains: the only place credentials are sent unasked. */
export function isSinchHttps(url: URL): boolean {
  return url.protocol === 'https:' && (url.hostname === 'sinch.com' || url.hostname.endsWith('.sinch.com'));
}

/**
 * The calling base URL of the region an incoming call lives on, from its ICE's callResourceUrl
 * (https://calling-euc1.api.sinch.com/calling/v1/calls/id/<callId> -> https://calling-euc1.api.sinch.com/calling/v1).
 * Whether it may be used is decided where requests are sent (acceptedRegionBase).
 */
export function regionBaseFrom(callResourceUrl: unknown): string | undefined {
  if (typeof callResourceUrl !== 'string' || callResourceUrl.length > 2048 || !URL.canParse(callResourceUrl)) return undefined;
  const url = new URL(callResourceUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const at = url.pathname.indexOf('/calls/id/');
  const prefix = at >= 0 ? url.pathname.slice(0, at) : '/calling/v1';
  return `${url.origin}${prefix}`;
}

/** A regional base may be used when it is https on *.sinch.com, or has the configured calling URL's origin (sandbox, tests). */
export function acceptedRegionBase(base: string, callingUrl: string): boolean {
  if (!URL.canParse(base)) return false;
  const url = new URL(base);
  return isSinchHttps(url) || url.origin === new URL(callingUrl).origin;
}
