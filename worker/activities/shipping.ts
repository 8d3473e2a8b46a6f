/**
 * Shipping behind a carrier interface. The simulated carrier books parcels in the `shipment` table,
 * answers a repeated idempotency key with the first booking, and cannot deliver to postal code 00000.
 */
import type { MikroORM } from '@mikro-orm/core';
import { effectKey, shipmentBookingKey } from '../../common/ids';
import type { Address } from '../../common/order';
import { storedNow } from '../../database/clock';
import type { ShipmentRow } from '../../database/entities';
import { forUpdate, type PlainTransaction } from '../../database/plain-sql';
import { BusinessError } from './business-error';
import type { CreatedShipment, ShipmentRequest } from './contract';
import { claimKey, runOnce } from './idempotency';
import { shortHash } from './short-hash';

export interface Carrier {
  book(idempotencyKey: string, request: ShipmentRequest): Promise<CreatedShipment>;
  /**
   * Cancels the order's outbound shipments; returns how many. The booking keys not used yet are voided, so a
   * booking attempt that lands after the cancel books nothing.
   */
  cancelAll(idempotencyKey: string, orderId: string, bookingKeys: readonly string[]): Promise<number>;
  bookReturn(idempotencyKey: string, orderId: string, address: Address): Promise<string>;
}

export const UNDELIVERABLE_POSTAL_CODE = '00000';
export const RETURNS_WAREHOUSE = 'returns';

function checkDeliverable(orderId: string, step: string, address: Address): void {
  if (address.postalCode.trim() === UNDELIVERABLE_POSTAL_CODE) {
    throw new BusinessError(
      'UNDELIVERABLE',
      `order ${orderId}: ${step}: the carrier cannot deliver to postal code ${address.postalCode} (${address.city})`,
    );
  }
}

async function book(
  tx: PlainTransaction,
  idempotencyKey: string,
  orderId: string,
  warehouse: string,
  kind: ShipmentRow['kind'],
): Promise<CreatedShipment> {
  const prefix = kind === 'RETURN' ? 'RET' : 'OF';
  const trackingNumber = `${prefix}-${warehouse.toUpperCase()}-${shortHash(idempotencyKey)}`;
  const { insertId } = await tx.write(
    tx.sql('shipment').insert({
      idempotency_key: idempotencyKey,
      order_id: orderId,
      warehouse,
      tracking_number: trackingNumber,
      kind,
      status: 'CREATED',
      created_at: storedNow(tx.orm),
    }),
  );
  return { id: String(insertId), warehouse, trackingNumber, status: 'CREATED' };
}

export class SimulatedCarrier implements Carrier {
  constructor(private readonly orm: MikroORM) {}

  book(idempotencyKey: string, request: ShipmentRequest): Promise<CreatedShipment> {
    const { orderId, warehouse, address } = request;
    checkDeliverable(orderId, 'ship', address);
    return runOnce(this.orm, idempotencyKey, (tx) =>
      book(tx, idempotencyKey, orderId, warehouse, 'OUTBOUND'),
    );
  }

  cancelAll(idempotencyKey: string, orderId: string, bookingKeys: readonly string[]): Promise<number> {
    return runOnce(this.orm, idempotencyKey, async (tx) => {
      for (const key of bookingKeys) await claimKey(tx, key);
      // A locking read: it sees a booking committed after this transaction began.
      const booked = await tx.rows<{ id: number }>(
        forUpdate(
          tx,
          tx.sql('shipment').where({ order_id: orderId, kind: 'OUTBOUND', status: 'CREATED' }).select('id'),
        ),
      );
      if (booked.length === 0) return 0;
      await tx.write(
        tx
          .sql('shipment')
          .whereIn(
            'id',
            booked.map((row) => row.id),
          )
          .update({ status: 'CANCELLED' }),
      );
      return booked.length;
    });
  }

  bookReturn(idempotencyKey: string, orderId: string, address: Address): Promise<string> {
    checkDeliverable(orderId, 'return', address);
    return runOnce(
      this.orm,
      idempotencyKey,
      async (tx) => (await book(tx, idempotencyKey, orderId, RETURNS_WAREHOUSE, 'RETURN')).trackingNumber,
    );
  }
}

export function shippingActivities(carrier: Carrier) {
  return {
    createShipment(request: ShipmentRequest): Promise<CreatedShipment> {
      return carrier.book(shipmentBookingKey(request.orderId, request.warehouse), request);
    },
    cancelShipments(orderId: string, warehouses: string[]): Promise<number> {
      const bookingKeys = warehouses.map((warehouse) => shipmentBookingKey(orderId, warehouse));
      return carrier.cancelAll(effectKey(orderId, 'cancel-shipments'), orderId, bookingKeys);
    },
    createReturnShipment(orderId: string, address: Address): Promise<string> {
      return carrier.bookReturn(effectKey(orderId, 'return-shipment'), orderId, address);
    },
  };
}
