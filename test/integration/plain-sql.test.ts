/**
 * Plain SQL on both databases: knex builds the statements, and reads and transactions run them (on SQLite through
 * the connection's prepared statements, on MySQL through knex), with the same answers, the same all-or-nothing
 * commit, and a statement awaited on its own refused instead of left waiting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../database/orm';
import {
  inTransaction,
  isDuplicateKey,
  plainSql,
  readRows,
  statementBuilder,
} from '../../database/plain-sql';
import { createTestOrm, type TestDatabase } from '../support/database';

let directory: string;
let sqlite: MikroORM;
let mariadb: TestDatabase;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'orderflow-plain-sql-'));
  sqlite = await openOrm({ sqlitePath: join(directory, 'orderflow.sqlite') });
  mariadb = await createTestOrm();
});
afterAll(async () => {
  await sqlite?.close(true);
  await mariadb?.dispose();
  await rm(directory, { recursive: true, force: true });
});

const databases = [
  ['SQLite', () => sqlite],
  ['MariaDB', () => mariadb.orm],
] as const;

const keysLike = async (orm: MikroORM, prefix: string) =>
  (await plainSql(orm)('idempotency_key')
    .where('key', 'like', `${prefix}%`)
    .orderBy('key')
    .pluck('key')) as string[];

describe.each(databases)('plain SQL on %s', (_name, ormOf) => {
  it('answers rows, changed-row counts and inserted ids, and commits them together', async () => {
    const orm = ormOf();
    const answers = await inTransaction(orm, async (tx) => {
      const inserted = await tx.write(
        tx.sql('outbox_message').insert({
          order_id: 'plain-1',
          kind: 'ORDER_CONFIRMED',
          payload: '{}',
          created_at: new Date(),
        }),
      );
      await tx.write(
        tx
          .sql('idempotency_key')
          .insert(['plain-a', 'plain-b'].map((key) => ({ key, result: 'null', created_at: new Date() }))),
      );
      const updated = await tx.write(
        tx.sql('idempotency_key').where('key', 'like', 'plain-%').update({ result: '"done"' }),
      );
      const rows = await tx.rows<{ key: string; result: string }>(
        tx.sql('idempotency_key').where('key', 'like', 'plain-%').orderBy('key').select('key', 'result'),
      );
      const [outbox] = await tx.rows<{ order_id: string }>(
        tx.sql('outbox_message').where({ id: inserted.insertId }).first('order_id'),
      );
      return { insertedOne: inserted.changes, updated: updated.changes, rows, outbox };
    });
    expect(answers).toEqual({
      insertedOne: 1,
      updated: 2,
      rows: [
        { key: 'plain-a', result: '"done"' },
        { key: 'plain-b', result: '"done"' },
      ],
      outbox: { order_id: 'plain-1' },
    });
    expect(await keysLike(orm, 'plain-')).toEqual(['plain-a', 'plain-b']);
  });

  it('rolls everything back when the work fails, and passes on the driver error', async () => {
    const orm = ormOf();
    const failure = await inTransaction(orm, async (tx) => {
      await tx.write(
        tx.sql('idempotency_key').insert({ key: 'undone-1', result: 'null', created_at: new Date() }),
      );
      await tx.write(
        tx.sql('idempotency_key').insert({ key: 'undone-1', result: 'null', created_at: new Date() }),
      );
    }).catch((error: unknown) => error);
    expect(isDuplicateKey(orm, failure)).toBe(true);
    expect(await keysLike(orm, 'undone-')).toEqual([]);
    // The connection is back in the pool, out of any transaction: the next one commits.
    await inTransaction(orm, (tx) =>
      tx.write(tx.sql('idempotency_key').insert({ key: 'undone-2', result: 'null', created_at: new Date() })),
    );
    expect(await keysLike(orm, 'undone-')).toEqual(['undone-2']);
  });

  it('reads rows outside a transaction through the same statements, committed ones only', async () => {
    const orm = ormOf();
    const read = () =>
      readRows<{ key: string; result: string }>(
        orm,
        statementBuilder(orm)('idempotency_key')
          .where('key', 'like', 'read-%')
          .orderBy('key')
          .select('key', 'result'),
      );
    await inTransaction(orm, (tx) =>
      tx.write(
        tx
          .sql('idempotency_key')
          .insert(['read-b', 'read-a'].map((key) => ({ key, result: `"${key}"`, created_at: new Date() }))),
      ),
    );
    expect(await read()).toEqual([
      { key: 'read-a', result: '"read-a"' },
      { key: 'read-b', result: '"read-b"' },
    ]);
    expect(
      await readRows(orm, statementBuilder(orm)('idempotency_key').where('key', 'read-none').select('key')),
    ).toEqual([]);
  });

  it('refuses a statement awaited outside rows and write instead of waiting for the connection', async () => {
    const orm = ormOf();
    const failure = await inTransaction(orm, async (tx) => {
      await tx.sql('idempotency_key').select('key');
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/Unable to acquire a connection/);
  });
});
