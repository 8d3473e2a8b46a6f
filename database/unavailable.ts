/** Which database errors mean "down for now" rather than "wrong": the API answers those TEMPORARILY_UNAVAILABLE. */
import {
  ConnectionException,
  DeadlockException,
  DriverException,
  LockWaitTimeoutException,
  type MikroORM,
  ServerException,
} from '@mikro-orm/core';
import { TemporarilyUnavailableError } from '../common/outcomes';
import { redactSecrets } from '../common/redact';
import { driverException } from './plain-sql';

/** Socket, driver and pool codes of a database that is unreachable, restarting, overloaded or busy. */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (
      cause instanceof ConnectionException ||
      cause instanceof DeadlockException ||
      cause instanceof LockWaitTimeoutException ||
      cause.name === 'KnexTimeoutError'
    ) {
      return true;
    }
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  }
  return false;
}

/**
 * For a driver error the server did not send (raw from the driver or as MikroORM classed it), which can hide a lost
 * connection, asks the database itself: the probe's error when it is gone, else undefined. (knex, for one, reports
 * a BEGIN that failed on a dead pooled connection only as "Transaction query already complete", the connection error
 * not chained.)
 */
async function probedUnavailability(orm: MikroORM, error: unknown): Promise<unknown> {
  const classified = driverException(orm, error);
  if (!(classified instanceof DriverException) || classified instanceof ServerException) return undefined;
  try {
    await orm.em.getConnection().execute('select 1');
    return undefined;
  } catch (probe) {
    return isDatabaseUnavailable(probe) ? probe : undefined;
  }
}

/** Runs a database call; a database that is down comes out as TemporarilyUnavailableError, naming the call. */
export async function databaseCall<T>(orm: MikroORM, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const unavailable = isDatabaseUnavailable(error) ? error : await probedUnavailability(orm, error);
    if (unavailable === undefined) throw error;
    const why = redactSecrets(unavailable instanceof Error ? unavailable.message : String(unavailable));
    throw new TemporarilyUnavailableError('the database', `${what} failed: ${why}`, { cause: error });
  }
}
