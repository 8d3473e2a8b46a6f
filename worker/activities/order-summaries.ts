/** The order table that `order(id)` and `orders(...)` read, kept by the workflow as the order changes. */
import type { MikroORM } from '@mikro-orm/core';
import { type OrderState, type OrderSummary, summaryOfState } from '../../common/order';
import { OrderRowWriter } from '../../database/order-snapshots';

export function orderSummaryActivities(orm: MikroORM) {
  const rows = new OrderRowWriter(orm);
  return {
    async recordOrderSnapshot(state: OrderState): Promise<void> {
      await rows.write(summaryOfState(state), state);
    },
    async recordOrderSummary(summary: OrderSummary): Promise<void> {
      await rows.write(summary);
    },
  };
}
