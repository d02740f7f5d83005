// Types for views.mjs, so TypeScript tests can build the views as the product build does.
export function buildViews(outDir: string): Promise<void>;
