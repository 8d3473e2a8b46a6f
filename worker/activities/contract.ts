/**
 * What the order workflow asks of the outside world. Every method with a side effect is idempotent on
 * the key `<orderId>:<step>`: a retry after a lost response changes nothing twice and returns the
 * first answer. Business failures are non-retryable ApplicationFailures whose type is the FailureCode.
 */
import type {
  Address,
  OrderLine,
  OrderState,
  OrderSummary,
  PricedLine,
  ShipmentStatus,
} from '../../common/order';

export interface ShipmentRequest {
  orderId: string;
  warehouse: string;
  lines: PricedLine[];
  address: Address;
}

export interface CreatedShipment {
  id: string;
  warehouse: string;
  trackingNumber: string;
  status: ShipmentStatus;
}

export interface OrderActivities {
  /** Prices the lines from the catalogue; fails UNKNOWN_SKU or DISCONTINUED. Reads only. */
  priceOrder(orderId: string, lines: OrderLine[]): Promise<PricedLine[]>;
  /** Takes the units from `available` into `reserved`, all or nothing; fails OUT_OF_STOCK. */
  reserveStock(orderId: string, lines: OrderLine[]): Promise<void>;
  /** Gives back what `reserveStock` took for this order; nothing when it took nothing. */
  releaseStock(orderId: string): Promise<void>;
  /** Turns the order's reserved units into sold ones once they have shipped. */
  commitSale(orderId: string): Promise<void>;
  /**
   * `commitSale` and the customer's ORDER_CONFIRMED notification (`message`) in one transaction: the sale and its
   * confirmation in the outbox are written together or not at all, in one local activity instead of two.
   */
  confirmSale(orderId: string, customerId: string, message: string): Promise<void>;
  /** Puts the order's sold units back on the shelf after a return. */
  restockReturn(orderId: string): Promise<void>;

  /** Charges through the payment gateway; fails PAYMENT_DECLINED. Returns the charge id. */
  chargePayment(orderId: string, amountCents: number, paymentMethod: string): Promise<string>;
  /** Refunds what was charged for this order (nothing when nothing was); returns the cents refunded. */
  refundPayment(orderId: string): Promise<number>;

  /** Books one shipment with the carrier; fails UNDELIVERABLE. */
  createShipment(request: ShipmentRequest): Promise<CreatedShipment>;
  /**
   * Cancels every shipment of the order that is not cancelled yet; returns how many it cancelled. A booking for
   * one of `warehouses` that lands later (a timed-out attempt) books nothing.
   */
  cancelShipments(orderId: string, warehouses: string[]): Promise<number>;
  /** Books the reverse logistics for a return; returns the return tracking number. */
  createReturnShipment(orderId: string, address: Address): Promise<string>;

  /**
   * Upserts the order's row in the order table with its whole state, which `order(id)` and `orders(...)` read;
   * a row never goes back to an older version, so a late retry cannot overwrite a newer change.
   */
  recordOrderSnapshot(state: OrderState): Promise<void>;
  /** The same row without the state: what orders begun before the read model write at each status change. */
  recordOrderSummary(summary: OrderSummary): Promise<void>;

  /** Writes the customer notification to the outbox. */
  sendNotification(
    orderId: string,
    customerId: string,
    kind: NotificationKind,
    message: string,
  ): Promise<void>;
}

export type NotificationKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | 'ORDER_FAILED' | 'ORDER_RETURNED';
