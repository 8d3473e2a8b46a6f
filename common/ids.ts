/**
 * Every id and idempotency key derived from an order id, in one place. Keys are `<orderId>:<step>`, and a
 * shipment's child workflow id is `<orderId>:shipment:<warehouse>`: an order id therefore never holds a colon,
 * or one order could take another order's keys. The order id's rule, and the warehouse's, are in the limits table
 * (`TEXT_LIMITS` in `limits.ts`), sized so every id and key here fits Temporal's ids and the key columns.
 */

/** For the API only: the workflow sandbox has no `crypto`. */
export function newOrderId(): string {
  return `ord_${crypto.randomUUID()}`;
}

/** The steps whose effect happens once per order, each under the key `<orderId>:<step>`. */
export type EffectStep =
  | 'reserve'
  | 'release'
  | 'commit'
  | 'restock'
  | 'charge'
  | 'refund'
  | 'cancel-shipments'
  | 'return-shipment';

export function effectKey(orderId: string, step: EffectStep): string {
  return `${orderId}:${step}`;
}

/** The child workflow that ships one warehouse's part of the order; its booking uses the same id as key. */
export function shipmentWorkflowId(orderId: string, warehouse: string): string {
  return `${orderId}:shipment:${warehouse}`;
}

export function shipmentBookingKey(orderId: string, warehouse: string): string {
  return shipmentWorkflowId(orderId, warehouse);
}

export function notificationKey(orderId: string, kind: string): string {
  return `${orderId}:notify:${kind}`;
}
