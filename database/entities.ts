/** The tables of inventory, idempotency, the simulated providers' ledgers, the outbox and the order list. */
import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type { Product } from '../common/product';

export type { Product };

export type ReservationLineStatus = 'RESERVED' | 'RELEASED' | 'SOLD' | 'RESTOCKED';

export interface ReservationLine {
  id: number;
  orderId: string;
  sku: string;
  quantity: number;
  status: ReservationLineStatus;
}

export interface IdempotencyKey {
  key: string;
  /** JSON of the first answer, returned again to every repeat. */
  result: string;
  createdAt: Date;
}

export interface Payment {
  id: number;
  idempotencyKey: string;
  orderId: string;
  chargeId: string;
  method: string;
  amountCents: number;
  refundedCents: number;
  status: 'CHARGED' | 'REFUNDED';
  createdAt: Date;
}

export interface ShipmentRow {
  id: number;
  idempotencyKey: string;
  orderId: string;
  warehouse: string;
  trackingNumber: string;
  kind: 'OUTBOUND' | 'RETURN';
  status: 'CREATED' | 'CANCELLED';
  createdAt: Date;
}

export interface OutboxMessage {
  id: number;
  orderId: string;
  kind: string;
  payload: string;
  createdAt: Date;
}

export interface OrderSummaryRow {
  orderId: string;
  customerId: string;
  status: string;
  version: number;
  totalCents: number;
  createdAt: Date;
  updatedAt: Date;
  /** The order's whole state (JSON) at `version`; null on rows of orders begun before the workflow wrote it. */
  snapshot: string | null;
  /** When the row last changed, in ms on the database's clock (one clock for every writer and reader). */
  changedAt: number;
}

export const ProductSchema = new EntitySchema<Product>({
  name: 'Product',
  tableName: 'product',
  properties: {
    sku: { type: 'string', length: 64, primary: true },
    name: { type: 'string', length: 200 },
    priceCents: { type: 'integer' },
    available: { type: 'integer' },
    reserved: { type: 'integer', default: 0 },
    sold: { type: 'integer', default: 0 },
    discontinued: { type: 'boolean', default: false },
    warehouse: { type: 'string', length: 64 },
  },
});

export const ReservationLineSchema = new EntitySchema<ReservationLine>({
  name: 'ReservationLine',
  tableName: 'reservation_line',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    orderId: { type: 'string', length: 128, index: true },
    sku: { type: 'string', length: 64 },
    quantity: { type: 'integer' },
    status: { type: 'string', length: 16 },
  },
  uniques: [{ properties: ['orderId', 'sku'] }],
});

export const IdempotencyKeySchema = new EntitySchema<IdempotencyKey>({
  name: 'IdempotencyKey',
  tableName: 'idempotency_key',
  properties: {
    key: { type: 'string', length: 191, primary: true },
    result: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

export const PaymentSchema = new EntitySchema<Payment>({
  name: 'Payment',
  tableName: 'payment',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    idempotencyKey: { type: 'string', length: 191, unique: true },
    orderId: { type: 'string', length: 128, index: true },
    chargeId: { type: 'string', length: 64 },
    method: { type: 'string', length: 64 },
    amountCents: { type: 'integer' },
    refundedCents: { type: 'integer', default: 0 },
    status: { type: 'string', length: 16 },
    createdAt: { type: 'datetime' },
  },
});

export const ShipmentSchema = new EntitySchema<ShipmentRow>({
  name: 'Shipment',
  tableName: 'shipment',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    idempotencyKey: { type: 'string', length: 191, unique: true },
    orderId: { type: 'string', length: 128, index: true },
    warehouse: { type: 'string', length: 64 },
    trackingNumber: { type: 'string', length: 64 },
    kind: { type: 'string', length: 16 },
    status: { type: 'string', length: 16 },
    createdAt: { type: 'datetime' },
  },
});

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    orderId: { type: 'string', length: 128, index: true },
    kind: { type: 'string', length: 32 },
    payload: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

export const OrderSummarySchema = new EntitySchema<OrderSummaryRow>({
  name: 'OrderSummary',
  tableName: 'order_summary',
  properties: {
    orderId: { type: 'string', length: 128, primary: true },
    customerId: { type: 'string', length: 128, index: true },
    status: { type: 'string', length: 32, index: true },
    version: { type: 'integer' },
    totalCents: { type: 'integer' },
    createdAt: { type: 'datetime', index: true },
    updatedAt: { type: 'datetime' },
    snapshot: { type: 'text', columnType: 'mediumtext', nullable: true, lazy: true },
    changedAt: { type: new BigIntType('number'), default: 0, index: true },
  },
});

export const ENTITIES = [
  ProductSchema,
  ReservationLineSchema,
  IdempotencyKeySchema,
  PaymentSchema,
  ShipmentSchema,
  OutboxMessageSchema,
  OrderSummarySchema,
];
