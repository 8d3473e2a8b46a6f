/**
 * Shipping behind a carrier interface. The simulated carrier books parcels in the `shipment` table,
 * answers a repeated idempotency key with the first booking, and cannot deliver to postal code 00000.
 */
import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Address } from '../../common/order';
import { type ShipmentRow, ShipmentSchema } from '../db/entities';
import { runOnce } from '../db/idempotency';
import { BusinessError } from './business-error';
import type { CreatedShipment, ShipmentRequest } from './contract';

export interface Carrier {
  book(idempotencyKey: string, request: ShipmentRequest): Promise<CreatedShipment>;
  cancelAll(idempotencyKey: string, orderId: string): Promise<number>;
  bookReturn(idempotencyKey: string, orderId: string, address: Address): Promise<string>;
}

export const UNDELIVERABLE_POSTAL_CODE = '00000';

function trackingNumber(key: string, prefix: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 12).toUpperCase()}`;
}

function asShipment(row: ShipmentRow): CreatedShipment {
  return {
    id: String(row.id),
    warehouse: row.warehouse,
    trackingNumber: row.trackingNumber,
    status: row.status,
  };
}

export class SimulatedCarrier implements Carrier {
  constructor(private readonly orm: MikroORM) {}

  async book(idempotencyKey: string, request: ShipmentRequest): Promise<CreatedShipment> {
    const { orderId, warehouse, address } = request;
    if (address.postalCode.trim() === UNDELIVERABLE_POSTAL_CODE) {
      throw new BusinessError(
        'UNDELIVERABLE',
        `order ${orderId}: the carrier cannot deliver to postal code ${address.postalCode} (${address.city})`,
      );
    }
    const row = await this.bookOnce(idempotencyKey, orderId, warehouse, 'OUTBOUND');
    return asShipment(row);
  }

  cancelAll(idempotencyKey: string, orderId: string): Promise<number> {
    return runOnce(this.orm, idempotencyKey, async (em) => {
      const booked = await em.find(ShipmentSchema, { orderId, kind: 'OUTBOUND', status: 'CREATED' });
      for (const shipment of booked) shipment.status = 'CANCELLED';
      return booked.length;
    });
  }

  async bookReturn(idempotencyKey: string, orderId: string, _address: Address): Promise<string> {
    const row = await this.bookOnce(idempotencyKey, orderId, 'returns', 'RETURN');
    return row.trackingNumber;
  }

  private async bookOnce(
    idempotencyKey: string,
    orderId: string,
    warehouse: string,
    kind: ShipmentRow['kind'],
  ): Promise<ShipmentRow> {
    const em = this.orm.em.fork();
    const existing = await em.findOne(ShipmentSchema, { idempotencyKey });
    if (existing) return existing;
    const row = em.create(ShipmentSchema, {
      idempotencyKey,
      orderId,
      warehouse,
      trackingNumber: trackingNumber(idempotencyKey, kind === 'RETURN' ? 'RET' : 'OF'),
      kind,
      status: 'CREATED',
      createdAt: new Date(),
    });
    await em.flush();
    return row;
  }
}

export function shippingActivities(carrier: Carrier) {
  return {
    createShipment(request: ShipmentRequest): Promise<CreatedShipment> {
      return carrier.book(`${request.orderId}:shipment:${request.warehouse}`, request);
    },
    cancelShipments(orderId: string): Promise<number> {
      return carrier.cancelAll(`${orderId}:cancel-shipments`, orderId);
    },
    createReturnShipment(orderId: string, address: Address): Promise<string> {
      return carrier.bookReturn(`${orderId}:return-shipment`, orderId, address);
    },
  };
}
