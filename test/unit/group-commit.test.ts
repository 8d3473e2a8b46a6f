/**
 * Group commit on an in-memory SQLite database: writes submitted together share one transaction and each hears its
 * own outcome; one bad write fails alone; a batch that hits a key stored meanwhile is rolled back and written again.
 */
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchWrite, GroupCommit } from '../../database/group-commit';
import { openOrm } from '../../database/orm';
import { plainSql } from '../../database/plain-sql';

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm({ sqlitePath: ':memory:' });
});

afterAll(() => orm.close(true));

const storedKeys = async (prefix: string) =>
  (await plainSql(orm)('idempotency_key')
    .where('key', 'like', `${prefix}%`)
    .orderBy('key')
    .pluck('key')) as string[];

/** Stores each key as one row of idempotency_key and answers its length; records the batches it was given. */
function keyWriter(
  batches: string[][],
  refuse: (key: string) => boolean = () => false,
): BatchWrite<string, number> {
  return async (tx, keys) => {
    batches.push([...keys]);
    for (const key of keys) {
      if (refuse(key)) throw new Error(`cannot store ${key}`);
      await tx.write(
        tx.sql('idempotency_key').insert({ key, result: 'null', created_at: new Date().toISOString() }),
      );
    }
    return keys.map((key) => ({ status: 'fulfilled', value: key.length }));
  };
}

describe('group commit', () => {
  it('writes what is submitted together in one transaction and answers each its own outcome', async () => {
    const batches: string[][] = [];
    const commits = new GroupCommit(orm, keyWriter(batches));
    const answers = await Promise.all(
      ['together-a', 'together-bb', 'together-ccc'].map((key) => commits.submit(key)),
    );
    expect(answers).toEqual([10, 11, 12]);
    expect(batches).toEqual([['together-a', 'together-bb', 'together-ccc']]);
    expect(await storedKeys('together-')).toEqual(['together-a', 'together-bb', 'together-ccc']);
  });

  it('writes again one by one a batch that failed, so only the bad write fails', async () => {
    const batches: string[][] = [];
    const commits = new GroupCommit(
      orm,
      keyWriter(batches, (key) => key === 'alone-bad'),
    );
    const outcomes = await Promise.allSettled(
      ['alone-1', 'alone-bad', 'alone-2'].map((key) => commits.submit(key)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('cannot store alone-bad');
    expect(batches).toEqual([['alone-1', 'alone-bad', 'alone-2'], ['alone-1'], ['alone-bad'], ['alone-2']]);
    expect(await storedKeys('alone-')).toEqual(['alone-1', 'alone-2']);
  });

  it('rolls back a batch that met a key stored meanwhile and writes it again, which then sees that key', async () => {
    await plainSql(orm)('idempotency_key').insert({
      key: 'again-taken',
      result: 'null',
      created_at: '2026-11-28',
    });
    const batches: string[][] = [];
    const write: BatchWrite<string, string> = async (tx, keys) => {
      batches.push([...keys]);
      const rows = await tx.rows<{ key: string }>(
        tx.sql('idempotency_key').whereIn('key', keys).select('key'),
      );
      const taken = new Set(rows.map((row) => row.key));
      // The first attempt does not look, as a batch racing another process's insert would not have seen it.
      for (const key of keys) {
        if (batches.length > 1 && taken.has(key)) continue;
        await tx.write(tx.sql('idempotency_key').insert({ key, result: 'null', created_at: '2026-11-28' }));
      }
      return keys.map((key) => ({ status: 'fulfilled', value: taken.has(key) ? 'repeat' : 'stored' }));
    };
    const commits = new GroupCommit(orm, write);
    const answers = await Promise.all(['again-new', 'again-taken'].map((key) => commits.submit(key)));
    expect(answers).toEqual(['stored', 'repeat']);
    expect(batches).toEqual([
      ['again-new', 'again-taken'],
      ['again-new', 'again-taken'],
    ]);
    expect(await storedKeys('again-')).toEqual(['again-new', 'again-taken']);
  });
});
