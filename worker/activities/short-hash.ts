import { createHash } from 'node:crypto';

/** A short, stable, upper-case digest of an idempotency key: the same key always names the same charge or parcel. */
export function shortHash(key: string, length = 10): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length).toUpperCase();
}
