/**
 * What every resolver gets, built once at start-up by the server: the services the schema needs, declared
 * here as interfaces so the schema knows the domain and nothing of Temporal or the database.
 */
import type { Caller } from '../common/access';
import type { ActionPayload, OrderAction } from '../common/actions';
import type { NewOrder, OrderState, OrderStatusEvent } from '../common/order';
import type { OrderListPage, OrderListQuery } from '../common/order-list';
import type { OrderOutcome } from '../common/outcomes';
import type { Product, ProductInput } from '../common/product';

export interface ReadOptions {
  /** Ask the workflow itself rather than the read model it keeps. */
  fresh?: boolean;
}

export interface OrderService {
  /**
   * The order's state, or null when there is no such order: from the read model the workflow keeps (never older
   * than what a mutation answered), else (`fresh`, or an order the read model does not hold) from the workflow.
   */
  read(orderId: string, options?: ReadOptions): Promise<OrderState | null>;
  /** A page of the order list; a bad `after` cursor throws an InputError. */
  list(query: OrderListQuery): Promise<OrderListPage>;
  /** Starts the order, or finds the one with its id; answers once it is validated and reserved, or refused. */
  place(order: NewOrder): Promise<OrderOutcome>;
  /**
   * Sends a customer or staff action; answers once it has had its effect. A refusal (the order is in no state
   * to take it, unknown, closed) comes back as a user error, never thrown.
   */
  act<A extends OrderAction>(
    orderId: string,
    action: A,
    payload: ActionPayload<A>,
    requestId?: string | null,
  ): Promise<OrderOutcome>;
}

export interface OrderFeed {
  /**
   * Every status change of the order, in version order, from `sinceVersion` on (else its current state
   * first). An order that `canSee` refuses at the first read ends the stream as an unknown order.
   */
  stream(
    orderId: string,
    sinceVersion: number | null | undefined,
    canSee: (order: OrderState) => boolean,
  ): AsyncIterable<OrderStatusEvent>;
}

export interface Catalog {
  list(): Promise<Product[]>;
  /** Creates or updates a product; input that breaks the catalogue's rules throws an InputError. */
  upsert(input: ProductInput): Promise<Product>;
}

export interface GraphQLContext {
  /** Who sent the request, from its token: the access rules in `common/access.ts` decide what they may do. */
  caller: Caller;
  orders: OrderService;
  feed: OrderFeed;
  catalog: Catalog;
}
