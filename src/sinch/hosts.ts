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
