// Types for scripts/third-party-notices.mjs (plain JS so the build runs it without a TypeScript step).
import type { Metafile } from 'esbuild';

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  text: string;
}
export function packageRoot(inputPath: string): string | undefined;
export function bundledPackages(metafile: Metafile): BundledPackage[];
export function writeNotices(metafile: Metafile, file: string): BundledPackage[];
export interface LicenceGroup {
  /** The SPDX licence names the covered packages declare. */
  licenses: string[];
  /** The licence text without copyright lines, printed once for the group. */
  text: string;
  packages: Array<{ name: string; version: string; copyright: string[] }>;
}
export function licenceGroups(packages: BundledPackage[]): LicenceGroup[];
