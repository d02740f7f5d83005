// Files the built server reads at run time besides its code: the compressed assets in dist/assets/. The
// bundle replaces this module with one that lists them (scripts/compressed-assets.mjs); from source there
// are none. Checked at start, so a damaged install stops with one clear line instead of failing a call.
export function missingInstallFiles(): string[] {
  return [];
}
