/** Small DOM helpers: typed lookup, element building without innerHTML, and the formats the page shows. */

export function $<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
}

interface Props {
  className?: string;
  text?: string;
  data?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  { className, text, data }: Props = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  Object.assign(element.dataset, data);
  element.append(...children);
  return element;
}

export const money = (cents: number) => `€${(cents / 100).toFixed(2)}`;
export const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

/** Shows a message in one of the page's live regions (`#form-message`, `#order-message`). */
export function say(
  where: '#form-message' | '#order-message',
  text: string,
  kind: 'info' | 'error' = 'info',
): void {
  const message = $(where);
  message.textContent = text;
  message.className = `message ${kind}`;
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
