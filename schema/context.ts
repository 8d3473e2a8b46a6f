import type { MikroORM } from '@mikro-orm/core';
import type { StatusFeed } from '../server/status-feed';
import type { OrderService } from '../server/temporal-orders';

/** What every resolver gets: built once at start-up by the server and passed down. */
export interface GraphQLContext {
  orders: OrderService;
  feed: StatusFeed;
  orm: MikroORM;
}
