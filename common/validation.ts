/**
 * The rules an order's, an action's and a product's input must meet, before any catalogue look-up. One set of
 * rules for every side: the API answers them as user errors before anything starts, the workflow fails the order
 * (and its update validators refuse the action) with them, and the stock activities refuse to move units for
 * lines that break them. Bounds come from the limits table (`limits.ts`).
 */
import { NUMBER_LIMITS, type RangeLimit, TEXT_LIMITS, type TextLimit } from './limits';
import type { Address, OrderLine } from './order';
import type { ProductInput } from './product';

export interface InputProblem {
  field: string[];
  message: string;
}

const ADDRESS_LIMITS: Record<keyof Address, TextLimit> = {
  name: TEXT_LIMITS.addressName,
  line1: TEXT_LIMITS.addressLine,
  city: TEXT_LIMITS.city,
  postalCode: TEXT_LIMITS.postalCode,
  country: TEXT_LIMITS.country,
};

/** C0 and C1 controls, and lone surrogates (no database or payload encodes them faithfully). */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]|\p{Cs}/u;

/**
 * What is wrong with a text input, if anything: emptiness (unless `allowEmpty`), then length (counted before any
 * trimming, in code points as the database counts), then characters. An absent value is the schema's business.
 */
export function textProblem(
  name: string,
  value: unknown,
  limit: TextLimit,
  allowEmpty = false,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return `${name} must be text`;
  if (!value.trim()) return allowEmpty ? null : `${name} is empty`;
  let length = 0;
  for (const _ of value) {
    length += 1;
    if (length > limit.maxLength) return `${name} must be at most ${limit.maxLength} characters`;
  }
  if ((limit.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value)) {
    return `${name} must not hold control characters`;
  }
  if (limit.pattern && !limit.pattern.test(value)) {
    return `${name} must be 1-${limit.maxLength} ${limit.describe ?? 'characters of the allowed set'}`;
  }
  return null;
}

/** What is wrong with a whole number input, if anything. */
export function rangeProblem(name: string, value: unknown, range: RangeLimit): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    return `${name} must be a whole number from ${range.min} to ${range.max}, got ${String(value)}`;
  }
  return null;
}

function problemsOf(entries: [field: string[], problem: string | null][]): InputProblem[] {
  return entries.flatMap(([field, message]) => (message ? [{ field, message }] : []));
}

/** What makes an order meaningful: lines with a sku and a positive quantity, each sku once, a full address. */
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
  for (const field of Object.keys(ADDRESS_LIMITS) as (keyof Address)[]) {
    if (!address?.[field]?.trim())
      problems.push({ field: ['address', field], message: `address ${field} is empty` });
  }
  return problems;
}

/**
 * What keeps an order within the limits downstream: lengths, characters, counts and quantities from the table.
 * Empty values are left to the rules above, so a field is not reported twice.
 */
export function orderBoundProblems(input: {
  customerId: string;
  items: readonly OrderLine[];
  address: Address;
}): InputProblem[] {
  const { itemsPerOrder, quantity } = NUMBER_LIMITS;
  const lines: [string[], string | null][] =
    input.items.length > itemsPerOrder.max
      ? [[['items'], `an order holds at most ${itemsPerOrder.max} lines, got ${input.items.length}`]]
      : input.items.flatMap((item, index): [string[], string | null][] => [
          [['items', String(index), 'sku'], textProblem('sku', item.sku, TEXT_LIMITS.sku, true)],
          [
            ['items', String(index), 'quantity'],
            item.quantity > quantity.max
              ? `quantity of ${item.sku} must be at most ${quantity.max}, got ${item.quantity}`
              : null,
          ],
        ]);
  return problemsOf([
    [['customerId'], textProblem('customerId', input.customerId, TEXT_LIMITS.customerId, true)],
    ...lines,
    ...Object.entries(ADDRESS_LIMITS).map(([field, limit]): [string[], string | null] => [
      ['address', field],
      textProblem(`address ${field}`, input.address[field as keyof Address], limit, true),
    ]),
  ]);
}

/** What the API checks before it starts a workflow: the order's own input, its id and its customer. */
export function placeOrderProblems(input: {
  orderId?: string | null;
  customerId: string;
  items: readonly OrderLine[];
  address: Address;
}): InputProblem[] {
  const bounds = orderBoundProblems(input);
  // Over the line limit, the lines themselves are not looked at: the answer stays small.
  const tooManyLines = bounds.some((problem) => problem.field.join('.') === 'items');
  const meaning = tooManyLines ? [] : orderInputProblems(input.items, input.address);
  const reported = new Set(meaning.map((problem) => problem.field.join('.')));
  return [
    ...meaning,
    ...bounds.filter((problem) => !reported.has(problem.field.join('.'))),
    ...problemsOf([
      [['customerId'], input.customerId.trim() ? null : 'customerId is empty'],
      [['orderId'], textProblem('orderId', input.orderId, TEXT_LIMITS.orderId)],
    ]),
  ];
}

/**
 * The free text an action carries, within its bounds (whether it may be empty is the action's rule). The
 * workflow's update validators check it too, so no update can grow the order past Temporal's payload limit.
 */
export function actionPayloadProblems(payload: {
  paymentMethod?: unknown;
  reason?: unknown;
}): InputProblem[] {
  return problemsOf([
    [['paymentMethod'], textProblem('paymentMethod', payload.paymentMethod, TEXT_LIMITS.paymentMethod, true)],
    [['reason'], textProblem('reason', payload.reason, TEXT_LIMITS.reason, true)],
  ]);
}

/** What the API checks of an action before it sends the update: the order id, the request id, the payload. */
export function actionProblems(
  orderId: string,
  requestId: string | null | undefined,
  payload: { paymentMethod?: unknown; reason?: unknown },
): InputProblem[] {
  return [
    ...problemsOf([
      [['orderId'], textProblem('orderId', orderId, TEXT_LIMITS.orderId)],
      [['requestId'], textProblem('requestId', requestId, TEXT_LIMITS.requestId, true)],
    ]),
    ...actionPayloadProblems(payload),
  ];
}

export function productInputProblems(input: ProductInput): InputProblem[] {
  return problemsOf([
    [['sku'], textProblem('sku', input.sku, TEXT_LIMITS.sku)],
    [['name'], textProblem('name', input.name, TEXT_LIMITS.productName)],
    [['priceCents'], rangeProblem('priceCents', input.priceCents, NUMBER_LIMITS.priceCents)],
    [['stock'], rangeProblem('stock', input.stock, NUMBER_LIMITS.stock)],
    [['warehouse'], textProblem('warehouse', input.warehouse, TEXT_LIMITS.warehouse)],
  ]);
}
