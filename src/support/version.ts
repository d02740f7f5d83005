// Kept in step with package.json (a test checks); imported instead of package.json to keep the bundle small.
export const VERSION = '0.1.0';
