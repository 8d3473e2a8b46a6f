/**
 * The statements written without entities, on the ORM's connection pool: the API's hottest reads and the saga's
 * hottest writes, where hydrating entities into a unit of work cost more than the statements themselves. Same
 * isolation, the same tables MikroORM keeps up to date.
 *
 * knex only builds the statements; `readRows` and the transactions run them. On SQLite they run on the pool's one
 * better-sqlite3 connection, synchronously, through prepared statements kept per connection: knex's own transaction
 * and query runner doubled the CPU of a charge's transaction there, on the thread that also serves the API and the
 * workflows (README, "Benchmarks"). On MySQL knex runs them, as it always did.
 */
import { type MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { BaseSqlitePlatform, type Knex, knex, type SqlEntityManager } from '@mikro-orm/knex';
import { LRUCache } from 'lru-cache';

/** A statement built by knex: a query builder or a raw statement. */
export type Statement = Knex.QueryBuilder | Knex.Raw;

/** What a write did, as the driver counts it. */
export interface WriteResult {
  changes: number;
  /** The id of the last row it inserted (an auto-increment key). */
  insertId: number;
}

/** A transaction in plain SQL, with the ORM it runs on: its platform decides dates, locks and error codes. */
export interface PlainTransaction {
  orm: MikroORM;
  /** Builds the statements, and cannot run them: `rows` and `write` run them in the transaction. */
  sql: Knex;
  rows<Row>(statement: Statement): Promise<Row[]>;
  write(statement: Statement): Promise<WriteResult>;
}

export function plainSql(orm: MikroORM): Knex {
  return (orm.em as SqlEntityManager).getKnex();
}

const statementBuilders = new WeakMap<MikroORM, Knex>();

/**
 * Builds statements for `readRows` and transactions: a knex of the ORM's dialect without a connection, so a
 * statement awaited by mistake fails at once, where the ORM's knex would wait for the connection a transaction
 * holds (SQLite's pool has one).
 */
export function statementBuilder(orm: MikroORM): Knex {
  let builder = statementBuilders.get(orm);
  if (!builder) {
    const { client } = plainSql(orm);
    builder = knex({ ...client.config, client: client.constructor, connection: undefined, pool: undefined });
    statementBuilders.set(orm, builder);
  }
  return builder;
}

export function isSqlite(orm: MikroORM): boolean {
  return orm.em.getPlatform() instanceof BaseSqlitePlatform;
}

export function inTransaction<T>(orm: MikroORM, work: (tx: PlainTransaction) => Promise<T>): Promise<T> {
  return isSqlite(orm) ? inSqliteTransaction(orm, work) : inKnexTransaction(orm, work);
}

/** The query as a locking read (FOR UPDATE); SQLite has a single writer and no such clause. */
export function forUpdate<Q extends Knex.QueryBuilder>({ orm }: PlainTransaction, query: Q): Q {
  return isSqlite(orm) ? query : (query.forUpdate() as Q);
}

/** A driver's error (MySQL's or SQLite's, as knex passes it on) as MikroORM classes it: a deadlock, a duplicate key. */
export function driverException(orm: MikroORM, error: unknown): unknown {
  return error instanceof Error ? orm.em.getDriver().convertException(error) : error;
}

export function isDuplicateKey(orm: MikroORM, error: unknown): boolean {
  return driverException(orm, error) instanceof UniqueConstraintViolationException;
}

function compiled(statement: Statement): Knex.Sql {
  return statement.toSQL() as Knex.Sql;
}

function inKnexTransaction<T>(orm: MikroORM, work: (tx: PlainTransaction) => Promise<T>): Promise<T> {
  return plainSql(orm).transaction((transaction) => {
    // mysql2 answers a raw statement with [rows, fields] for a read and [{ affectedRows, insertId }] for a write.
    const run = async (statement: Statement) => {
      const { sql, bindings } = compiled(statement);
      return ((await transaction.raw(sql, bindings)) as unknown[])[0];
    };
    return work({
      orm,
      sql: statementBuilder(orm),
      rows: async <Row>(statement: Statement) => (await run(statement)) as Row[],
      write: async (statement) => {
        const { affectedRows, insertId } = (await run(statement)) as {
          affectedRows: number;
          insertId: number;
        };
        return { changes: affectedRows, insertId };
      },
    });
  });
}

/** The part of a better-sqlite3 connection plain SQL uses. */
interface SqliteConnection {
  inTransaction: boolean;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
}

interface SqliteStatement {
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

/** Prepared statements by SQL text, per connection; batches of other sizes are other texts, so the cache is bounded. */
const preparedStatements = new WeakMap<SqliteConnection, LRUCache<string, SqliteStatement>>();

/** A binding as better-sqlite3 takes it, the conversions knex's driver makes: dates in ms, booleans as 0 and 1. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return Number(value);
  return value ?? null;
}

/** Runs statements on one better-sqlite3 connection, each prepared once per connection. */
function sqliteRunner(connection: SqliteConnection) {
  let cache = preparedStatements.get(connection);
  if (!cache) {
    cache = new LRUCache({ max: 256 });
    preparedStatements.set(connection, cache);
  }
  const prepared = cache;
  const prepare = (statement: Statement) => {
    const { sql, bindings } = compiled(statement);
    let runnable = prepared.get(sql);
    if (!runnable) {
      runnable = connection.prepare(sql);
      prepared.set(sql, runnable);
    }
    return { runnable, values: bindings.map(sqliteValue) };
  };
  return {
    rows<Row>(statement: Statement): Row[] {
      const { runnable, values } = prepare(statement);
      return runnable.all(values) as Row[];
    },
    write(statement: Statement): WriteResult {
      const { runnable, values } = prepare(statement);
      const { changes, lastInsertRowid } = runnable.run(values);
      return { changes, insertId: Number(lastInsertRowid) };
    },
  };
}

/** Runs `work` on the pool's better-sqlite3 connection, held until it ends. */
async function withSqliteConnection<T>(
  orm: MikroORM,
  work: (connection: SqliteConnection) => Promise<T> | T,
) {
  const { client } = plainSql(orm);
  const connection: SqliteConnection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * The rows a read answers, outside any transaction. On SQLite through the connection's prepared statements: the
 * API's reads of an order and the status feed's reads run on the thread that serves everything else.
 */
export function readRows<Row>(orm: MikroORM, statement: Statement): Promise<Row[]> {
  if (isSqlite(orm))
    return withSqliteConnection(orm, (connection) => sqliteRunner(connection).rows<Row>(statement));
  const { sql, bindings } = compiled(statement);
  return plainSql(orm)
    .raw(sql, bindings)
    .then((answer: [Row[]]) => answer[0]);
}

function inSqliteTransaction<T>(orm: MikroORM, work: (tx: PlainTransaction) => Promise<T>): Promise<T> {
  return withSqliteConnection(orm, async (connection) => {
    const runner = sqliteRunner(connection);
    try {
      // Immediate: the write lock is taken now, so a writer in another process makes this wait, not fail half-way.
      connection.exec('begin immediate');
      const result = await work({
        orm,
        sql: statementBuilder(orm),
        rows: async <Row>(statement: Statement) => runner.rows<Row>(statement),
        write: async (statement) => runner.write(statement),
      });
      connection.exec('commit');
      return result;
    } catch (error) {
      if (connection.inTransaction) connection.exec('rollback');
      throw error;
    }
  });
}
