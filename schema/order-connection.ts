/**
 * The order list: pages of the order table the workflows keep current (one read, newest first), each order
 * whole as its workflow last wrote it, so a page with every detail costs one query and no workflow.
 */
import { listingScope } from '../common/access';
import { NUMBER_LIMITS } from '../common/limits';
import type { OrderView } from '../common/order';
import { InputError } from '../common/outcomes';
import { unauthenticated } from './access';
import { badArgument, checkOrderListArguments } from './arguments';
import { builder } from './builder';
import { OrderRef, OrderStatusEnum } from './order';

interface OrderEdge {
  cursor: string;
  node: OrderView;
}
interface OrderConnection {
  edges: OrderEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const OrderEdgeRef = builder.objectRef<OrderEdge>('OrderEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: OrderRef, resolve: (edge) => edge.node }),
  }),
});

const PageInfoRef = builder.objectRef<OrderConnection['pageInfo']>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const OrderConnectionRef = builder.objectRef<OrderConnection>('OrderConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [OrderEdgeRef], resolve: (connection) => connection.edges }),
    nodes: t.field({ type: [OrderRef], resolve: (connection) => connection.edges.map((edge) => edge.node) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (connection) => connection.pageInfo }),
  }),
});

const MAX_PAGE = NUMBER_LIMITS.pageSize.max;
const EMPTY_CONNECTION: OrderConnection = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

builder.queryFields((t) => ({
  orders: t.field({
    type: OrderConnectionRef,
    description: `Newest first, at most ${MAX_PAGE} a page; read from the order list the workflows keep current.`,
    args: {
      status: t.arg({ type: OrderStatusEnum }),
      customerId: t.arg.string(),
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 20;
      checkOrderListArguments({ ...args, first });
      const scope = listingScope(ctx.caller, args.customerId);
      if (scope === 'UNAUTHENTICATED') throw unauthenticated();
      if (scope.empty) return EMPTY_CONNECTION;
      const query = { ...args, customerId: scope.customerId, first };
      const page = await ctx.orders.list(query).catch((error: unknown) => {
        if (error instanceof InputError) throw badArgument(error.field, error.message);
        throw error;
      });
      const edges = page.rows.map(({ cursor, order }) => ({ cursor, node: order }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.rows.at(-1)?.cursor ?? null },
      };
    },
  }),
}));
