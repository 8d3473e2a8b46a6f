/** The order table that `order(id)` and `orders(...)` read, kept by the workflow as the order changes. */
import type { MikroORM } from '@mikro-orm/core';
import { type OrderState, type OrderSummary, summaryOfState } from '../../common/order';
import { recordOrderRow } from '../../database/order-snapshots';

export function orderSummaryActivities(orm: MikroORM) {
  return {
    async recordOrderSnapshot(state: OrderState): Promise<void> {
      await recordOrderRow(orm, summaryOfState(state), state);
    },
    async recordOrderSummary(summary: OrderSummary): Promise<void> {
      await recordOrderRow(orm, summary);
    },
  };
}
