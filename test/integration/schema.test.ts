/** Bringing the schema up to date at start-up: never destructive, and safe when two processes start together. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProducts } from '../../database/catalog';
import { openOrm } from '../../database/orm';
import { createTestOrm, MARIADB_URL, type TestDatabase } from '../support/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestOrm();
});
afterAll(() => db?.dispose());

describe('schema at start-up', () => {
  it("leaves other applications' tables and columns alone", async () => {
    const connection = db.orm.em.getConnection();
    await connection.execute('create table someone_elses (id int primary key)');
    await connection.execute('alter table product add column legacy_note varchar(20) null');
    const again = await openOrm({ databaseUrl: db.databaseUrl, sqlitePath: '' });
    await again.close(true);
    const tables = (await connection.execute("show tables like 'someone_elses'")) as unknown[];
    expect(tables).toHaveLength(1);
    const columns = (await connection.execute("show columns from product like 'legacy_note'")) as unknown[];
    expect(columns).toHaveLength(1);
  });

  it('two processes opening the same empty database at once both start', async () => {
    const name = `of_test_empty_${randomBytes(5).toString('hex')}`;
    const connection = db.orm.em.getConnection();
    await connection.execute(`create database ${name}`);
    try {
      const opened = await Promise.all(
        [1, 2].map(() => openOrm({ databaseUrl: `${MARIADB_URL}/${name}`, sqlitePath: '' })),
      );
      for (const orm of opened) {
        await expect(listProducts(orm)).resolves.toEqual([]);
        await orm.close(true);
      }
    } finally {
      await connection.execute(`drop database if exists ${name}`);
    }
  });
});
