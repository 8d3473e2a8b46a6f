/**
 * The return window opens before the order shows COMPLETED: a customer who asks for a return the moment the
 * status moves is not refused while the workflow is still writing the order list.
 */
import { expect, it } from 'vitest';
import { ORDER_ACTIONS } from '../../common/actions';
import { stockShelf } from '../support/ledger';
import { useSagaHarness } from '../support/saga-harness';
import { startDevServer } from '../support/temporal';

const saga = useSagaHarness(
  'return-window-test',
  startDevServer,
  { returnWindowMs: 10 * 60_000 },
  (activities) => ({
    ...activities,
    // A slow order list: the workflow is still recording COMPLETED when the customer asks.
    async recordOrderSummary(summary) {
      if (summary.status === 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 1_000));
      return activities.recordOrderSummary(summary);
    },
  }),
);

it('a return asked for as soon as the order shows COMPLETED is taken', async () => {
  const shelf = await stockShelf(saga.db().orm);
  const handle = await saga.placeAndAwaitPayment(shelf);
  await saga.pay(handle, 'tok_visa');
  await saga.reach(handle, 'COMPLETED');
  const requested = await handle.executeUpdate(ORDER_ACTIONS.requestReturn.update, {
    args: [{ reason: 'changed my mind' }],
  });
  expect(requested.status).toBe('RETURN_REQUESTED');
});
