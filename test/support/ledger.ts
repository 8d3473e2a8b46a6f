/** Test fixtures on the real database: a fresh set of products per test, and what the database says happened. */
import type { MikroORM } from '@mikro-orm/core';
import { upsertProduct } from '../../database/catalog';

export interface Shelf {
  mug: string;
  lamp: string;
  retired: string;
}

let shelves = 0;

/** Each test gets its own SKUs (10 mugs in eu-west, 5 lamps in us-east unless told, a discontinued item) to count on. */
export async function stockShelf(orm: MikroORM, stock = { mugs: 10, lamps: 5 }): Promise<Shelf> {
  shelves += 1;
  const suffix = `${process.pid}-${shelves}`;
  const shelf = { mug: `MUG-${suffix}`, lamp: `LAMP-${suffix}`, retired: `RETIRED-${suffix}` };
  await upsertProduct(orm, {
    sku: shelf.mug,
    name: 'Mug',
    priceCents: 1500,
    stock: stock.mugs,
    discontinued: false,
    warehouse: 'eu-west',
  });
  await upsertProduct(orm, {
    sku: shelf.lamp,
    name: 'Lamp',
    priceCents: 4000,
    stock: stock.lamps,
    discontinued: false,
    warehouse: 'us-east',
  });
  await upsertProduct(orm, {
    sku: shelf.retired,
    name: 'Old',
    priceCents: 900,
    stock: 3,
    discontinued: true,
    warehouse: 'eu-west',
  });
  return shelf;
}

export interface Ledger {
  stock: Record<string, { available: number; reserved: number; sold: number }>;
  charges: { amountCents: number; refundedCents: number }[];
  shipments: { status: string; kind: string }[];
  notifications: string[];
}

export async function readLedger(orm: MikroORM, orderId: string, shelf: Shelf): Promise<Ledger> {
  const query = <Row>(sql: string, params: unknown[]) =>
    orm.em.getConnection().execute(sql, params) as Promise<Row[]>;
  const skus = [shelf.mug, shelf.lamp, shelf.retired];
  const products = await query<{ sku: string; available: number; reserved: number; sold: number }>(
    'select sku, available, reserved, sold from product where sku in (?, ?, ?)',
    skus,
  );
  const charges = await query<{ amount_cents: number; refunded_cents: number }>(
    'select amount_cents, refunded_cents from payment where order_id = ? order by id',
    [orderId],
  );
  const shipments = await query<{ status: string; kind: string }>(
    'select status, kind from shipment where order_id = ? order by id',
    [orderId],
  );
  const notifications = await query<{ kind: string }>(
    'select kind from outbox_message where order_id = ? order by id',
    [orderId],
  );
  return {
    stock: Object.fromEntries(
      products.map((row) => [
        row.sku,
        { available: Number(row.available), reserved: Number(row.reserved), sold: Number(row.sold) },
      ]),
    ),
    charges: charges.map((row) => ({
      amountCents: Number(row.amount_cents),
      refundedCents: Number(row.refunded_cents),
    })),
    shipments: shipments.map((row) => ({ status: row.status, kind: row.kind })),
    notifications: notifications.map((row) => row.kind),
  };
}

/** Runs a side effect twice, as a retry after a lost response does, and answers both answers. */
export async function twice<T>(action: () => Promise<T>): Promise<[T, T]> {
  const first = await action();
  return [first, await action()];
}
