// SINCH_STATE_FILE deleted while the server runs: said on stderr, and the file is written again from memory.
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { CallState } from '../../src/state/calls.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('a state file deleted while running is reported on stderr and rewritten with the earlier records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sinch-state-'));
  dirs.push(dir);
  const file = join(dir, 'calls.jsonl');
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
  const calls = await CallState.open(file);
  await calls.remember('earlier', { kind: 'tts', label: 'Anna' });
  await calls.flush();
  unlinkSync(file);
  await calls.remember('later', { kind: 'tts', label: 'Bob' });
  await calls.flush();
  expect(lines.join('')).toMatch(/SINCH_STATE_FILE .*calls\.jsonl was deleted while the server ran: its earlier records are gone from disk\. It is written again from memory \(2 calls known here\)/);
  const reopened = await CallState.open(file);
  expect((await reopened.get('earlier'))?.label).toBe('Anna');
  expect((await reopened.get('later'))?.label).toBe('Bob');
  expect(readFileSync(file, 'utf8')).not.toBe('');
});
