/**
 * Shipping behind a carrier interface. The simulated carrier books parcels in the `shipment` table,
 * answers a repeated idempotency key with the first booking, and cannot deliver to postal code 00000.
 */
import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/core';
import { effectKey, shipmentBookingKey } from '../../common/ids';
import type { Address } from '../../common/order';
import { type ShipmentRow, ShipmentSchema } from '../../database/entities';
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

function asShipment(row: ShipmentRow): CreatedShipment {
  return {
    id: String(row.id),
    warehouse: row.warehouse,
    trackingNumber: row.trackingNumber,
    status: row.status,
  };
}

async function book(
  em: EntityManager,
  idempotencyKey: string,
  orderId: string,
  warehouse: string,
  kind: ShipmentRow['kind'],
): Promise<ShipmentRow> {
  const prefix = kind === 'RETURN' ? 'RET' : 'OF';
  const row = em.create(ShipmentSchema, {
    idempotencyKey,
    orderId,
    warehouse,
    trackingNumber: `${prefix}-${warehouse.toUpperCase()}-${shortHash(idempotencyKey)}`,
    kind,
    status: 'CREATED',
    createdAt: new Date(),
  });
  await em.flush();
  return row;
}

export class SimulatedCarrier implements Carrier {
  constructor(private readonly orm: MikroORM) {}

  book(idempotencyKey: string, request: ShipmentRequest): Promise<CreatedShipment> {
    const { orderId, warehouse, address } = request;
    checkDeliverable(orderId, 'ship', address);
    return runOnce(this.orm, idempotencyKey, async (em) =>
      asShipment(await book(em, idempotencyKey, orderId, warehouse, 'OUTBOUND')),
    );
  }

  cancelAll(idempotencyKey: string, orderId: string, bookingKeys: readonly string[]): Promise<number> {
    return runOnce(this.orm, idempotencyKey, async (em) => {
      for (const key of bookingKeys) await claimKey(em, key);
      // A locking read: it sees a booking committed after this transaction began.
      const booked = await em.find(
        ShipmentSchema,
        { orderId, kind: 'OUTBOUND', status: 'CREATED' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      for (const shipment of booked) shipment.status = 'CANCELLED';
      return booked.length;
    });
  }

  bookReturn(idempotencyKey: string, orderId: string, address: Address): Promise<string> {
    checkDeliverable(orderId, 'return', address);
    return runOnce(
      this.orm,
      idempotencyKey,
      async (em) => (await book(em, idempotencyKey, orderId, RETURNS_WAREHOUSE, 'RETURN')).trackingNumber,
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
