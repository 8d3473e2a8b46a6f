/** Customer notifications go to an outbox table, once per order and kind; a mailer can drain it. */
import type { MikroORM } from '@mikro-orm/core';
import { OutboxMessageSchema } from '../db/entities';
import { runOnce } from '../db/idempotency';
import type { NotificationKind } from './contract';

export function notificationActivities(orm: MikroORM) {
  return {
    async sendNotification(
      orderId: string,
      customerId: string,
      kind: NotificationKind,
      message: string,
    ): Promise<void> {
      await runOnce(orm, `${orderId}:notify:${kind}`, async (em) => {
        em.create(OutboxMessageSchema, {
          orderId,
          kind,
          payload: JSON.stringify({ customerId, message }),
          createdAt: new Date(),
        });
      });
    },
  };
}
