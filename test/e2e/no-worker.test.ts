/**
 * With no worker running, an action cannot be taken: the mutation answers within its deadline with a
 * user error telling the caller to send the same request again, instead of hanging.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_WORKFLOW, type OrderWorkflow } from '../../common/actions';
import { orderChangeLog } from '../../database/order-changes';
import { openOrm } from '../../database/orm';
import { StatusFeed } from '../../server/status-feed';
import { TemporalOrders } from '../../server/temporal-orders';
import { WorkflowReads } from '../../server/workflow-reads';
import { orderInput, startDevServer, TEST_SETTINGS } from '../support/temporal';

const TASK_QUEUE = 'nobody-polls-this-queue';
let env: TestWorkflowEnvironment;
let orm: MikroORM;
beforeAll(async () => {
  [env, orm] = await Promise.all([startDevServer(), openOrm({ sqlitePath: ':memory:' })]);
});
afterAll(async () => {
  await orm?.close(true);
  await env?.teardown();
});

describe('no worker running', () => {
  it('an action answers ACTION_PENDING with its request id after the deadline, not never', async () => {
    const reads = new WorkflowReads(env.client);
    const feed = new StatusFeed(reads, orderChangeLog(orm));
    const orders = new TemporalOrders({
      client: env.client,
      reads,
      feed,
      orm,
      taskQueue: TASK_QUEUE,
      settings: TEST_SETTINGS,
      actionDeadlineMs: 1_500,
    });
    await env.client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
      workflowId: 'idle-order',
      taskQueue: TASK_QUEUE,
      args: [orderInput({ orderId: 'idle-order' })],
    });
    const started = Date.now();
    const outcome = await orders.act('idle-order', 'pay', { paymentMethod: 'tok_visa' }, 'pay-1');
    feed.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.order).toBeNull();
    expect(outcome.userErrors).toEqual([
      { field: null, code: 'ACTION_PENDING', message: expect.stringMatching(/idle-order.*"pay-1"/) },
    ]);
  });
});
