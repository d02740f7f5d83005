// Checks shared by ordinary settings and restrictions; each error names the variable or flag and what is allowed.
import { ConfigError } from './error.js';

export function wholeNumber(label: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${label}=${JSON.stringify(raw)} is not allowed; use a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function yesNo(label: string, raw: string): boolean {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${label}=${JSON.stringify(raw)} is not allowed; use true or false.`);
}
