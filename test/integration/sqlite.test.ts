/**
 * The embedded default: the same entities and activities on a SQLite file, locks being SQLite's write lock, and a
 * repeated side effect told apart by SQLite's own unique-key errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProducts, seedDemoProducts, upsertProduct } from '../../database/catalog';
import { openOrm } from '../../database/orm';
import { createActivities } from '../../worker/activities';
import { twice } from '../support/ledger';

let directory: string;
let orm: MikroORM;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'orderflow-sqlite-'));
  orm = await openOrm({ sqlitePath: join(directory, 'nested', 'orderflow.sqlite') });
});
afterAll(async () => {
  await orm?.close(true);
  await rm(directory, { recursive: true, force: true });
});

describe('inventory on the embedded SQLite file', () => {
  it('seeds the demo catalogue once and keeps edits made since', async () => {
    await seedDemoProducts(orm);
    await upsertProduct(orm, {
      sku: 'MUG-BLUE',
      name: 'Blue mug',
      priceCents: 1700,
      stock: 3,
      discontinued: false,
    });
    await seedDemoProducts(orm);
    const mug = (await listProducts(orm)).find((product) => product.sku === 'MUG-BLUE');
    expect(mug).toMatchObject({ name: 'Blue mug', priceCents: 1700, available: 3, warehouse: 'eu-west' });
  });

  it('keeps the file in write-ahead-log mode, each commit synced to disk', async () => {
    const connection = orm.em.getConnection();
    expect(await connection.execute('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await connection.execute('pragma synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it('reserves concurrently without overselling, and releases', async () => {
    await upsertProduct(orm, {
      sku: 'HOT',
      name: 'Hot item',
      priceCents: 100,
      stock: 10,
      discontinued: false,
    });
    const activities = createActivities({ orm });
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, index) =>
        activities.reserveStock(`sqlite-${index}`, [{ sku: 'HOT', quantity: 1 }]),
      ),
    );
    const reserved = results.flatMap((result, index) =>
      result.status === 'fulfilled' ? [`sqlite-${index}`] : [],
    );
    expect(reserved).toHaveLength(10);
    await activities.releaseStock(reserved[0] ?? '');
    await activities.releaseStock(reserved[0] ?? '');
    const hot = (await listProducts(orm)).find((product) => product.sku === 'HOT');
    expect(hot).toMatchObject({ available: 1, reserved: 9 });
  });

  it('answers a repeated charge, booking and sale as the first time did, each written once', async () => {
    await upsertProduct(orm, { sku: 'ONCE', name: 'Once', priceCents: 500, stock: 5, discontinued: false });
    const activities = createActivities({ orm });
    const orderId = 'sqlite-once';
    await activities.reserveStock(orderId, [{ sku: 'ONCE', quantity: 2 }]);
    const [charge, chargeAgain] = await twice(() => activities.chargePayment(orderId, 1000, 'tok_visa'));
    expect(chargeAgain).toBe(charge);
    const request = {
      orderId,
      warehouse: 'eu-west',
      lines: [{ sku: 'ONCE', quantity: 2, name: 'Once', unitPriceCents: 500, warehouse: 'eu-west' }],
      address: { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' },
    };
    const [booking, bookingAgain] = await twice(() => activities.createShipment(request));
    expect(bookingAgain).toEqual(booking);
    await twice(() => activities.confirmSale(orderId, 'ada', 'on its way'));

    const count = async (table: string) => {
      const [row] = await orm.em
        .getConnection()
        .execute<{ n: number }[]>(`select count(*) as n from ${table} where order_id = ?`, [orderId]);
      return Number(row?.n);
    };
    expect([await count('payment'), await count('shipment'), await count('outbox_message')]).toEqual([
      1, 1, 1,
    ]);
    const once = (await listProducts(orm)).find((product) => product.sku === 'ONCE');
    expect(once).toMatchObject({ available: 3, reserved: 0, sold: 2 });
  });
});
