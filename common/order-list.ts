/** A page of the order list, newest first: what `orders(...)` reads without asking the workflows. */
import type { OrderView } from './order';

export interface OrderListQuery {
  status?: string | null;
  customerId?: string | null;
  first: number;
  /** The cursor of the last row of the previous page. */
  after?: string | null;
}

export interface OrderListPage {
  /** Each listed order whole, as its workflow last wrote it, or only its row for orders that predate that. */
  rows: { cursor: string; order: OrderView }[];
  hasNextPage: boolean;
}
