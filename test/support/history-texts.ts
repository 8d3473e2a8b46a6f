/** Reads a workflow history as the Temporal server stores it, to prove what sits in it in clear. */
import type { temporal } from '@temporalio/proto';

/** The customer's name and address in orderInput() (test/support/temporal.ts). */
export const PERSONAL_DATA = ['Ada Lovelace', 'Lovelace', '12 St James Sq', 'SW1Y 4JH'];

/** Every string and every byte field (read as UTF-8) anywhere in the history: payloads, failures, headers. */
export function historyTexts(history: temporal.api.history.v1.IHistory): string[] {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(history);
  return texts;
}
