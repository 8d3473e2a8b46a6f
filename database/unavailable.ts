/** Which database errors mean "down for now" rather than "wrong": the API answers those TEMPORARILY_UNAVAILABLE. */
import { ConnectionException, DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import { TemporarilyUnavailableError } from '../common/outcomes';
import { redactSecrets } from '../common/redact';

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

/** Runs a database call; a database that is down comes out as TemporarilyUnavailableError, naming the call. */
export async function databaseCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const why = redactSecrets(error instanceof Error ? error.message : String(error));
    throw new TemporarilyUnavailableError('the database', `${what} failed: ${why}`, { cause: error });
  }
}
