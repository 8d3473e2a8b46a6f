/**
 * Every bound on what a caller sends, in one table. The API checks input against it before anything starts, the
 * workflow's update validators refuse what breaks it, and the server takes its request limits from it. Each bound
 * sits under the limit downstream of it (noted beside it), so no input can fail there instead: Temporal's ids
 * (1,000 bytes), search attributes (2,048 bytes) and payloads (2 MB: an update answers with the whole order),
 * the database columns (`database/entities.ts`, utf8mb4: lengths in characters) and GraphQL's 32-bit `Int`.
 */

/** The largest GraphQL `Int` and MySQL `INT`. */
export const INT_MAX = 2_147_483_647;

export interface TextLimit {
  /** Most characters, as Unicode code points: how utf8mb4 columns count them (each is at most 4 bytes). */
  maxLength: number;
  /** What the whole text must match (ASCII only, so characters and bytes agree); else any one-line text. */
  pattern?: RegExp;
  /** The pattern in words, for the caller. */
  describe?: string;
  /** Free text: line breaks and tabs are allowed; other control characters never are. */
  multiline?: boolean;
}

export interface RangeLimit {
  min: number;
  max: number;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KEY_WORDS = 'letters, digits, dots, dashes or underscores, starting with a letter or digit';

export const TEXT_LIMITS = {
  /**
   * The workflow id and the prefix of every key `<orderId>:<step>`, so never a colon; with
   * `:shipment:<warehouse>` it stays within the 191 characters of the idempotency key column.
   */
  orderId: { maxLength: 100, pattern: /^[\w.-]+$/, describe: 'letters, digits, _ . or -' },
  /** order_summary.customerId is VARCHAR(128); the CustomerId search attribute takes 2,048 bytes. */
  customerId: { maxLength: 128 },
  /** product.sku is VARCHAR(64). */
  sku: { maxLength: 64, pattern: KEY, describe: KEY_WORDS },
  /** Part of a shipment's workflow id and booking key `<orderId>:shipment:<warehouse>` (100 + 10 + 32 < 191). */
  warehouse: { maxLength: 32, pattern: KEY, describe: KEY_WORDS },
  /** product.name is VARCHAR(200); each order line carries it in the order's state. */
  productName: { maxLength: 200 },
  /** The address travels in the order's input and state: 5 fields of at most 200 characters. */
  addressName: { maxLength: 100 },
  addressLine: { maxLength: 200 },
  city: { maxLength: 100 },
  postalCode: { maxLength: 20 },
  country: { maxLength: 60 },
  /** payment.method is VARCHAR(64). */
  paymentMethod: { maxLength: 64, pattern: /^[\w.-]+$/, describe: 'letters, digits, _ . or -' },
  /** Audit, cancellation and return reasons land in the order's timeline. */
  reason: { maxLength: 500, multiline: true },
  /** The Temporal update id of an action. */
  requestId: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, describe: 'visible ASCII characters' },
  /** An `orders` cursor: base64url of a time and an order id, well under this. */
  cursor: { maxLength: 200 },
} satisfies Record<string, TextLimit>;

/**
 * Totals are summed in doubles, exact far past the largest possible order (50 × 10,000 × 10^8 < 2^53), and an
 * order over ORDER_LIMIT_CENTS (at most INT_MAX) fails before its total is recorded: no total, charge or refund
 * shown can pass INT_MAX.
 */
export const NUMBER_LIMITS = {
  itemsPerOrder: { min: 1, max: 50 },
  quantity: { min: 1, max: 10_000 },
  priceCents: { min: 0, max: 100_000_000 },
  /** available + reserved + sold stay far under INT_MAX. */
  stock: { min: 0, max: 10_000_000 },
  pageSize: { min: 1, max: 100 },
  sinceVersion: { min: 0, max: INT_MAX },
  orderLimitCents: { min: 0, max: INT_MAX },
  auditThresholdCents: { min: 0, max: INT_MAX },
} satisfies Record<string, RangeLimit>;

/**
 * Bounds on a request itself, before it runs. The token limit is checked while parsing, so neither deep nesting
 * nor a long document reaches the parser's recursion or the caches; the cost limit counts `first: n` as n items.
 */
export const REQUEST_LIMITS = {
  bodyBytes: 64 * 1024,
  webSocketMessageBytes: 64 * 1024,
  tokens: 1_000,
  depth: 8,
  aliases: 10,
  directives: 10,
  /** One `orders(first: 100)` page with every detail field (13,269 by GraphQL Armor's count) and no more. */
  cost: 15_000,
  /** Parsed documents and parse errors kept, each keyed by its text (at most bodyBytes). */
  cachedDocuments: 200,
  /** Bearer tokens remembered as verified (each for at most a minute, never past its expiry). */
  verifiedTokens: 10_000,
} as const;

/** Defaults of the subscription caps (settings MAX_SUBSCRIPTIONS_PER_CONNECTION and MAX_WATCHED_ORDERS). */
export const SUBSCRIPTION_LIMITS = {
  perConnection: 200,
  watchedOrders: 20_000,
} as const;
