/**
 * The rules an order's and a product's input must meet, before any catalogue look-up. One set of rules for
 * every side: the API answers them as user errors, the workflow fails the order with them, and the stock
 * activities refuse to move units for lines that break them.
 */
import { isValidOrderId, ORDER_ID_MAX_LENGTH } from './ids';
import type { Address, OrderLine } from './order';
import type { ProductInput } from './product';

export interface InputProblem {
  field: string[];
  message: string;
}

const ADDRESS_FIELDS: (keyof Address)[] = ['name', 'line1', 'city', 'postalCode', 'country'];

export function orderLineProblems(items: readonly OrderLine[]): InputProblem[] {
  const problems: InputProblem[] = [];
  if (items.length === 0) problems.push({ field: ['items'], message: 'an order needs at least one item' });
  items.forEach((item, index) => {
    if (!item.sku.trim()) problems.push({ field: ['items', String(index), 'sku'], message: 'sku is empty' });
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      problems.push({
        field: ['items', String(index), 'quantity'],
        message: `quantity of ${item.sku} must be a positive whole number, got ${item.quantity}`,
      });
    }
  });
  return problems;
}

export function orderInputProblems(
  items: readonly OrderLine[],
  address: Address | undefined,
): InputProblem[] {
  const problems = orderLineProblems(items);
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

/** What the API can check before it starts a workflow: the order's own input, its id and its customer. */
export function placeOrderProblems(input: {
  orderId?: string | null;
  customerId: string;
  items: readonly OrderLine[];
  address: Address;
}): InputProblem[] {
  const problems = orderInputProblems(input.items, input.address);
  if (!input.customerId.trim()) problems.push({ field: ['customerId'], message: 'customerId is empty' });
  if (input.orderId !== null && input.orderId !== undefined && !isValidOrderId(input.orderId)) {
    problems.push({
      field: ['orderId'],
      message: `orderId must be 1-${ORDER_ID_MAX_LENGTH} letters, digits, _ . or -`,
    });
  }
  return problems;
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function productInputProblems(input: ProductInput): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!SKU.test(input.sku)) {
    problems.push({
      field: ['sku'],
      message: 'sku must be 1-64 letters, digits, dots, dashes or underscores',
    });
  }
  if (!input.name.trim()) problems.push({ field: ['name'], message: 'name is empty' });
  if (!Number.isInteger(input.priceCents) || input.priceCents < 0) {
    problems.push({ field: ['priceCents'], message: 'priceCents must be a whole number of cents >= 0' });
  }
  if (!Number.isInteger(input.stock) || input.stock < 0) {
    problems.push({ field: ['stock'], message: 'stock must be a whole number >= 0' });
  }
  if (input.warehouse !== undefined && !input.warehouse.trim()) {
    problems.push({ field: ['warehouse'], message: 'warehouse is empty' });
  }
  return problems;
}
