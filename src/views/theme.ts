// The host's look: its CSS variables on :root (style.css falls back to its own where one is missing) and its
// light or dark theme as the document's color-scheme, which every light-dark() fallback follows.

export interface HostStyles {
  theme?: 'light' | 'dark';
  styles?: { variables?: Record<string, string | undefined> };
}

export function applyTheme(context: HostStyles): void {
  const root = document.documentElement;
  for (const [name, value] of Object.entries(context.styles?.variables ?? {})) {
    if (!name.startsWith('--')) continue;
    if (value) root.style.setProperty(name, value);
    else root.style.removeProperty(name);
  }
  if (context.theme === 'light' || context.theme === 'dark') {
    root.style.colorScheme = context.theme;
    root.dataset.theme = context.theme;
  }
}
