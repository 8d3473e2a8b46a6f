/** A page of the order list, newest first: what `orders(...)` reads without asking the workflows. */
import type { OrderSummary } from './order';

export interface OrderListQuery {
  status?: string | null;
  customerId?: string | null;
  first: number;
  /** The cursor of the last row of the previous page. */
  after?: string | null;
}

export interface OrderListPage {
  rows: { cursor: string; summary: OrderSummary }[];
  hasNextPage: boolean;
}
