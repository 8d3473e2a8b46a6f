/**
 * Which database failures the API calls "down for now", on MariaDB behind a proxy the test cuts: a connection lost in
 * the middle of a transaction, and a transaction begun on a pooled connection the cut had already killed (knex then
 * reports only "Transaction query already complete"). A driver error while the database answers stays what it is.
 */
import { DriverException, type MikroORM } from '@mikro-orm/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TemporarilyUnavailableError } from '../../common/outcomes';
import { upsertProduct } from '../../database/catalog';
import { ProductSchema } from '../../database/entities';
import { openOrm } from '../../database/orm';
import { databaseCall } from '../../database/unavailable';
import { createTestOrm, type TestDatabase } from '../support/database';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

let db: TestDatabase;
let proxy: TcpProxy;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestOrm();
  const url = new URL(db.databaseUrl);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 3306));
  url.host = proxy.address;
  orm = await openOrm({ databaseUrl: url.toString(), sqlitePath: '' });
});

afterEach(() => proxy.restore());

afterAll(async () => {
  await orm?.close(true);
  await proxy?.close();
  await db?.dispose();
});

const PRODUCT = { sku: 'CUT-1', name: 'Cut', priceCents: 100, stock: 1, discontinued: false };

/** Opens the pool's connection, so that a cut leaves a dead one in it. */
const warmPool = () => orm.em.fork().find(ProductSchema, {});

describe('the database gone', () => {
  it('a transaction begun on a pooled connection the cut killed is TEMPORARILY_UNAVAILABLE, and works once it is back', async () => {
    await warmPool();
    await proxy.cut();
    const failure = await upsertProduct(orm, PRODUCT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TemporarilyUnavailableError);
    expect((failure as Error).message).toMatch(/^upsert product CUT-1 failed: .*ECONNREFUSED/);

    await proxy.restore();
    expect(await upsertProduct(orm, PRODUCT)).toMatchObject({ sku: 'CUT-1', available: 1 });
  });

  it('a connection lost in the middle of a transaction is TEMPORARILY_UNAVAILABLE', async () => {
    await warmPool();
    const failure = await databaseCall(orm, 'a two-query transaction', () =>
      orm.em.fork().transactional(async (em) => {
        await em.findOne(ProductSchema, { sku: 'CUT-1' });
        await proxy.cut();
        await em.findOne(ProductSchema, { sku: 'CUT-2' });
      }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TemporarilyUnavailableError);
    expect((failure as Error).message).toMatch(/^a two-query transaction failed: /);
  });
});

describe('the database up', () => {
  it('a driver error is passed on as it is, not called unavailable', async () => {
    const driverError = new DriverException(new Error('the driver was misused'));
    await expect(databaseCall(orm, 'a misuse', () => Promise.reject(driverError))).rejects.toBe(driverError);
  });

  it('an error the server sent (a syntax error) is passed on as it is', async () => {
    await expect(
      databaseCall(orm, 'a bad query', () => orm.em.getConnection().execute('selec 1')),
    ).rejects.toThrow(/syntax/);
  });
});
