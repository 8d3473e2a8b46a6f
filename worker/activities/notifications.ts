/** Customer notifications go to an outbox table, once per order and kind; a mailer can drain it. */
import type { MikroORM } from '@mikro-orm/core';
import { notificationKey } from '../../common/ids';
import { OutboxMessageSchema } from '../../database/entities';
import type { NotificationKind } from './contract';
import { runOnce } from './idempotency';

export function notificationActivities(orm: MikroORM) {
  return {
    async sendNotification(
      orderId: string,
      customerId: string,
      kind: NotificationKind,
      message: string,
    ): Promise<void> {
      await runOnce(orm, notificationKey(orderId, kind), async (em) => {
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
