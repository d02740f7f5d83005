// Types for bundle.mjs, so TypeScript tests can bundle exactly as the product build does.
import type { BuildResult } from 'esbuild';

export function bundle(entryPoints: Record<string, string>, outdir: string, options?: { withoutAjv?: boolean }): Promise<BuildResult>;
