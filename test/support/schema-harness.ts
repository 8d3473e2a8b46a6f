/** The real schema executed in-process on an in-memory SQLite database, with the orders service stood in. */
import type { MikroORM } from '@mikro-orm/core';
import { type ExecutionResult, graphql } from 'graphql';
import { schema } from '../../schema';
import type { GraphQLContext } from '../../schema/context';
import { StatusFeed } from '../../server/status-feed';
import type { OrderService } from '../../server/temporal-orders';
import { openOrm } from '../../worker/db/orm';
import { FakeOrders } from './fake-orders';

export interface SchemaHarness {
  orm: MikroORM;
  /** Every call the schema made on the orders service, as `<method> <orderId>`. */
  calls: string[];
  execute(source: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  close(): Promise<void>;
}

function refuse(method: string): never {
  throw new Error(`this test expects no ${method}`);
}

export async function schemaHarness(orders: Partial<OrderService> = {}): Promise<SchemaHarness> {
  const orm = await openOrm({ sqlitePath: ':memory:' });
  const calls: string[] = [];
  const service: OrderService = {
    read: (orderId) => {
      calls.push(`read ${orderId}`);
      return orders.read ? orders.read(orderId) : Promise.resolve(null);
    },
    place: (order) => {
      calls.push(`place ${order.orderId ?? ''}`);
      return orders.place ? orders.place(order) : refuse('place');
    },
    act: (orderId, update, action, refusal, requestId) => {
      calls.push(`act ${orderId}`);
      return orders.act ? orders.act(orderId, update, action, refusal, requestId) : refuse('act');
    },
    isSettling: (state) => orders.isSettling?.(state) ?? false,
  };
  const context: GraphQLContext = { orders: service, feed: new StatusFeed(new FakeOrders()), orm };
  return {
    orm,
    calls,
    execute: (source, variables) =>
      graphql({ schema, source, variableValues: variables, contextValue: context }),
    close: () => orm.close(true),
  };
}
