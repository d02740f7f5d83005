// Opens the approval page in the person's browser. BROWSER (the convention xdg-open, gh and many CLIs follow)
// names the program(s) to run; otherwise the platform's opener. The URL is never logged, and never put on a
// command line either (any local user can read those in /proc): the browser is given a private file that
// forwards to the page.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml } from './page.js';

export type OpenResult = { ok: true } | { ok: false; reason: string };
export type OpenUrl = (url: string) => Promise<OpenResult>;

/** How long a failing opener has to say so (a non-zero exit) before it counts as having opened the page. */
const FAILURE_WINDOW_MS = 1_500;

export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): OpenUrl {
  return async (url) => {
    const commands = commandsFor(await forwardingFile(url), env, platform);
    if (typeof commands === 'string') return { ok: false, reason: commands };
    const failures: string[] = [];
    for (const [program, ...args] of commands) {
      const outcome = await run(program!, args);
      if (outcome === 'ok') return { ok: true };
      failures.push(`${program}: ${outcome}`);
    }
    return { ok: false, reason: failures.join('; ') };
  };
}

/** The commands to try in order, or why there is none (a headless machine). */
function commandsFor(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[][] | string {
  const browser = env.BROWSER?.trim();
  if (browser) {
    // Like xdg-open: a list of commands; "%s" stands for the URL, otherwise it is the last argument.
    return browser
      .split(delimiter)
      .map((entry) => entry.trim().split(/\s+/).filter(Boolean))
      .filter((words) => words.length > 0)
      .map((words) => (words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url]));
  }
  if (platform === 'darwin') return [['open', url]];
  if (platform === 'win32') return [['rundll32', 'url.dll,FileProtocolHandler', url]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no BROWSER is set and there is no graphical display (DISPLAY/WAYLAND_DISPLAY) to open a browser on';
  return [['xdg-open', url]];
}

/** A file only this user can read (0700 folder, 0600 file) that sends the browser on to the page. */
async function forwardingFile(url: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'sinch-approve-'));
  const file = join(folder, 'approve.html');
  const target = escapeHtml(url);
  await writeFile(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>Opening the approval page</title><p><a href="${target}">Open the approval page</a></p>`,
    { mode: 0o600 },
  );
  // The browser reads it at once; it goes away later (and with the machine's temp cleaning) either way.
  setTimeout(() => void rm(folder, { recursive: true, force: true }), 10 * 60_000).unref();
  return pathToFileURL(file).href;
}

function run(program: string, args: string[]): Promise<'ok' | string> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, { stdio: 'ignore', detached: true });
    } catch (error) {
      resolve((error as Error).message);
      return;
    }
    const timer = setTimeout(() => {
      child.unref();
      resolve('ok');
    }, FAILURE_WINDOW_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ENOENT' ? 'not found' : error.message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'ok' : `exited with code ${code}`);
    });
  });
}
