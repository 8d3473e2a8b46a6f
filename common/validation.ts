/** Checks an order can be placed at all, before any catalogue look-up; shared by the API and the workflow. */
import type { Address, OrderLine } from './order';

export interface InputProblem {
  field: string[];
  message: string;
}

const ADDRESS_FIELDS: (keyof Address)[] = ['name', 'line1', 'city', 'postalCode', 'country'];

export function orderInputProblems(
  items: readonly OrderLine[],
  address: Address | undefined,
): InputProblem[] {
  const problems: InputProblem[] = [];
  if (items.length === 0) problems.push({ field: ['items'], message: 'an order needs at least one item' });
  items.forEach((item, index) => {
    if (!item.sku.trim()) problems.push({ field: ['items', String(index), 'sku'], message: 'sku is empty' });
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      problems.push({
        field: ['items', String(index), 'quantity'],
        message: `quantity must be a positive whole number, got ${item.quantity}`,
      });
    }
  });
  const skus = items.map((item) => item.sku);
  if (new Set(skus).size !== skus.length) {
    problems.push({ field: ['items'], message: 'each sku may appear once; add up the quantities instead' });
  }
  for (const field of ADDRESS_FIELDS) {
    if (!address?.[field]?.trim())
      problems.push({ field: ['address', field], message: `address ${field} is empty` });
  }
  return problems;
}
