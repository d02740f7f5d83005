// Times and durations as people read them, in the host's locale and time zone when it gave them.

import type { HostContext } from './host.js';

export function clock(iso: string | number | Date, context: HostContext): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  try {
    return time.toLocaleTimeString(context.locale, { ...options, timeZone: context.timeZone });
  } catch {
    // An unknown locale or time zone from the host: the browser's own.
    return time.toLocaleTimeString(undefined, options);
  }
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
