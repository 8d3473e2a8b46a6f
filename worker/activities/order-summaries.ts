/** The order list that `orders(...)` reads, kept by the workflow at every status change. */
import { LockMode, type MikroORM } from '@mikro-orm/core';
import type { OrderSummary } from '../../common/order';
import { OrderSummarySchema } from '../../database/entities';

export function orderSummaryActivities(orm: MikroORM) {
  return {
    async recordOrderSummary(summary: OrderSummary): Promise<void> {
      await orm.em.fork().transactional(async (em) => {
        const row = await em.findOne(
          OrderSummarySchema,
          { orderId: summary.orderId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const fields = {
          ...summary,
          createdAt: new Date(summary.createdAt),
          updatedAt: new Date(summary.updatedAt),
        };
        if (!row) em.create(OrderSummarySchema, fields);
        else if (row.version < summary.version) em.assign(row, fields);
      });
    },
  };
}
