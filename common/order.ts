/** The order model shared by the worker (which owns it) and the server (which reads it). */

export const ORDER_STATUSES = [
  'VALIDATING',
  'AWAITING_AUDIT',
  'RESERVING',
  'AWAITING_PAYMENT',
  'CHARGING',
  'SHIPPING',
  'COMPLETED',
  'RETURN_REQUESTED',
  'RETURNING',
  'RETURNED',
  'COMPENSATING',
  'CANCELLED',
  'REJECTED',
  'FAILED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which nothing about the order can change any more. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['RETURNED', 'CANCELLED', 'REJECTED', 'FAILED'];

/** Saga steps, in story order; compensations are recorded as `undo:<step>`. */
export const SAGA_STEPS = ['validate', 'audit', 'reserve', 'payment', 'ship', 'confirm', 'return'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];
export type TimelineStep = SagaStep | `undo:${SagaStep}` | 'escalate';

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface Address {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A line after validation: priced from the catalogue and assigned to the warehouse that ships it. */
export interface PricedLine extends OrderLine {
  name: string;
  unitPriceCents: number;
  warehouse: string;
}

/** Durations in milliseconds and amounts in cents, fixed when the order starts. */
export interface OrderSettings {
  paymentTimeoutMs: number;
  auditTimeoutMs: number;
  returnWindowMs: number;
  auditThresholdCents: number;
  orderLimitCents: number;
}

export interface OrderInput {
  orderId: string;
  customerId: string;
  items: OrderLine[];
  address: Address;
  /** Staff or a risk rule flagged the order: it waits for an audit whatever its amount. */
  flagged?: boolean;
  settings: OrderSettings;
}

/** An order as a caller places it: the API adds the settings, and an id when the caller gave none. */
export type NewOrder = Omit<OrderInput, 'orderId' | 'settings'> & { orderId?: string | null };

export type FailureCode =
  | 'INVALID_ORDER'
  | 'UNKNOWN_SKU'
  | 'DISCONTINUED'
  | 'ORDER_LIMIT_EXCEEDED'
  | 'OUT_OF_STOCK'
  | 'AUDIT_REJECTED'
  | 'AUDIT_TIMEOUT'
  | 'PAYMENT_TIMEOUT'
  | 'PAYMENT_DECLINED'
  /** The payment provider kept failing with transient errors through its 3 attempts. */
  | 'PAYMENT_UNAVAILABLE'
  | 'UNDELIVERABLE'
  | 'CANCELLED_BY_CUSTOMER'
  | 'INTERNAL';

export interface OrderFailure {
  code: FailureCode;
  message: string;
  step: SagaStep;
}

export interface TimelineEntry {
  version: number;
  status: OrderStatus;
  step: TimelineStep | null;
  at: string;
  message: string;
}

export type PaymentStatus = 'NONE' | 'PENDING' | 'CHARGED' | 'DECLINED' | 'REFUNDED' | 'PARTIALLY_REFUNDED';
export type ReservationStatus = 'NONE' | 'RESERVED' | 'RELEASED' | 'SOLD' | 'RESTOCKED';
export type ShipmentStatus = 'CREATED' | 'CANCELLED' | 'RETURNED';

export interface Shipment {
  id: string;
  warehouse: string;
  trackingNumber: string;
  status: ShipmentStatus;
}

export interface OrderState {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  version: number;
  step: TimelineStep | null;
  failure: OrderFailure | null;
  items: PricedLine[];
  totalCents: number;
  address: Address;
  reservation: { status: ReservationStatus };
  payment: { status: PaymentStatus; method: string | null; amountCents: number; refundedCents: number };
  shipments: Shipment[];
  returnReason: string | null;
  /** Compensations that failed after their retries; staff must finish them by hand. */
  escalations: string[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
  /** Set on the saga's last change: no later version will come (absent on orders begun before it was kept). */
  ended?: boolean;
}

/** One status change as subscribers see it: a timeline entry with the order as last read. */
export interface OrderStatusEvent extends Omit<TimelineEntry, 'step'> {
  orderId: string;
  step: string | null;
  order: OrderState;
}

/** An order's row in the order list: what `orders(...)` answers without asking the workflow. */
export interface OrderSummary {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  version: number;
  totalCents: number;
  createdAt: string;
  updatedAt: string;
}

/** An order as a read answers it: its whole state, or only its order-list row (same names, fewer fields). */
export type OrderView = OrderState | OrderSummary;

export function summaryOfState(state: OrderState): OrderSummary {
  const { orderId, customerId, status, version, totalCents, createdAt, updatedAt } = state;
  return { orderId, customerId, status, version, totalCents, createdAt, updatedAt };
}

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function orderTotalCents(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
}
