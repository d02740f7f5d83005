// Building the page from elements and text nodes. Every string becomes a text node: nothing the agent,
// Sinch or a caller wrote is ever parsed as HTML.

export type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  fill(element, ...children);
  return element;
}

/** Replaces what `parent` holds. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== false && child !== null && child !== undefined));
}

export function button(label: string, onClick: () => void, className = ''): HTMLButtonElement {
  return el('button', { type: 'button', class: className, onclick: onClick }, label);
}

export type Tone = 'neutral' | 'success' | 'danger';

/** Puts text in a status line and colours it; the line's first class says what it is and stays. */
export function tell(line: HTMLElement, tone: Tone, ...text: Child[]): void {
  line.className = `${line.className.split(' ')[0]} ${tone}`;
  fill(line, ...text);
}
