/** Customer notifications go to an outbox table, once per order and kind; a mailer can drain it. */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { notificationKey } from '../../common/ids';
import { OutboxMessageSchema } from '../../database/entities';
import type { NotificationKind } from './contract';
import { claimKey } from './idempotency';

/**
 * Puts the notification in the outbox within the caller's transaction, unless this order's notification of that
 * kind is there already (its key is taken).
 */
export async function queueNotification(
  em: EntityManager,
  orderId: string,
  customerId: string,
  kind: NotificationKind,
  message: string,
): Promise<void> {
  if (!(await claimKey(em, notificationKey(orderId, kind)))) return;
  em.create(OutboxMessageSchema, {
    orderId,
    kind,
    payload: JSON.stringify({ customerId, message }),
    createdAt: new Date(),
  });
}

export function notificationActivities(orm: MikroORM) {
  return {
    async sendNotification(
      orderId: string,
      customerId: string,
      kind: NotificationKind,
      message: string,
    ): Promise<void> {
      await orm.em.transactional((em) => queueNotification(em, orderId, customerId, kind, message));
    },
  };
}
