/**
 * The real schema executed in-process on an in-memory SQLite database (order list and catalogue real), with
 * the reads and actions of the orders service stood in.
 */
import type { MikroORM } from '@mikro-orm/core';
import { type ExecutionResult, graphql } from 'graphql';
import { type Caller, SYSTEM } from '../../common/access';
import { listProducts, upsertProduct } from '../../database/catalog';
import { listOrders } from '../../database/order-list';
import { openOrm } from '../../database/orm';
import { schema } from '../../schema';
import type { GraphQLContext, OrderService } from '../../schema/context';
import { StatusFeed } from '../../server/status-feed';
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

export async function schemaHarness(
  orders: Partial<OrderService> = {},
  caller: Caller = SYSTEM,
): Promise<SchemaHarness> {
  const orm = await openOrm({ sqlitePath: ':memory:' });
  const calls: string[] = [];
  const service: OrderService = {
    read: (orderId) => {
      calls.push(`read ${orderId}`);
      return orders.read ? orders.read(orderId) : Promise.resolve(null);
    },
    list: (query) => listOrders(orm, query),
    place: (order) => {
      calls.push(`place ${order.orderId ?? ''}`);
      return orders.place ? orders.place(order) : refuse('place');
    },
    act: (orderId, action, payload, requestId) => {
      calls.push(`act ${orderId}`);
      return orders.act ? orders.act(orderId, action, payload, requestId) : refuse('act');
    },
  };
  const context: GraphQLContext = {
    caller,
    orders: service,
    feed: feedOfNoOrders(),
    catalog: { list: () => listProducts(orm), upsert: (input) => upsertProduct(orm, input) },
  };
  return {
    orm,
    calls,
    execute: (source, variables) =>
      graphql({ schema, source, variableValues: variables, contextValue: context }),
    close: () => orm.close(true),
  };
}

function feedOfNoOrders(): StatusFeed {
  const orders = new FakeOrders();
  return new StatusFeed(orders, orders);
}
