/**
 * With no worker running, an action cannot be taken: the mutation answers within its deadline with a
 * user error telling the caller to send the same request again, instead of hanging.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payUpdate } from '../../common/actions';
import { TemporalOrders } from '../../server/temporal-orders';
import { orderInput, startDevServer, TEST_SETTINGS } from '../support/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServer();
});
afterAll(() => env?.teardown());

describe('no worker running', () => {
  it('an action answers ACTION_PENDING with its request id after the deadline, not never', async () => {
    const orders = new TemporalOrders(env.client, 'nobody-polls-this-queue', TEST_SETTINGS, 1_500);
    const { customerId, items, address } = orderInput();
    const { orderId } = await orders.place({ orderId: 'idle-order', customerId, items, address });
    const started = Date.now();
    const outcome = await orders.act(
      orderId,
      payUpdate,
      { paymentMethod: 'tok_visa' },
      'NOT_AWAITING_PAYMENT',
      'pay-1',
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.order).toBeNull();
    expect(outcome.userErrors).toEqual([
      { field: null, code: 'ACTION_PENDING', message: expect.stringMatching(/idle-order.*"pay-1"/) },
    ]);
  });
});
