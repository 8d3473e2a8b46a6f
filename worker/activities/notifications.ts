/** Customer notifications go to an outbox table, once per order and kind; a mailer can drain it. */
import type { MikroORM } from '@mikro-orm/core';
import { notificationKey } from '../../common/ids';
import { storedNow } from '../../database/clock';
import { inTransaction, type PlainTransaction } from '../../database/plain-sql';
import type { NotificationKind } from './contract';
import { claimKey } from './idempotency';

/**
 * Puts the notification in the outbox within the caller's transaction, unless this order's notification of that
 * kind is there already (its key is taken).
 */
export async function queueNotification(
  tx: PlainTransaction,
  orderId: string,
  customerId: string,
  kind: NotificationKind,
  message: string,
): Promise<void> {
  if (!(await claimKey(tx, notificationKey(orderId, kind)))) return;
  await tx.write(
    tx.sql('outbox_message').insert({
      order_id: orderId,
      kind,
      payload: JSON.stringify({ customerId, message }),
      created_at: storedNow(tx.orm),
    }),
  );
}

export function notificationActivities(orm: MikroORM) {
  return {
    async sendNotification(
      orderId: string,
      customerId: string,
      kind: NotificationKind,
      message: string,
    ): Promise<void> {
      await inTransaction(orm, (tx) => queueNotification(tx, orderId, customerId, kind, message));
    },
  };
}
