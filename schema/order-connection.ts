/**
 * The order list: pages of the order table the workflows keep current (a consistent read, newest first).
 * When a page asks only for the fields that table holds, no workflow is asked; otherwise every listed
 * order is read from its workflow, so all of a node's fields come from one state.
 */
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { listingScope } from '../common/access';
import { NUMBER_LIMITS } from '../common/limits';
import { InputError } from '../common/outcomes';
import { unauthenticated } from './access';
import { badArgument, checkOrderListArguments } from './arguments';
import { builder } from './builder';
import { OrderRef, OrderStatusEnum, type OrderView, SUMMARY_FIELDS } from './order';

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
    resolve: async (_root, args, ctx, info) => {
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
      const summariesSuffice = requestedOrderFields(info).every(
        (name) => name === '__typename' || SUMMARY_FIELDS.has(name),
      );
      const nodes: (OrderView | null)[] = summariesSuffice
        ? page.rows.map((row) => row.summary)
        : await Promise.all(page.rows.map((row) => ctx.orders.read(row.summary.orderId)));
      // An order whose workflow Temporal no longer keeps (past retention) has no details to show.
      const edges = page.rows.flatMap((row, index) => {
        const node = nodes[index];
        return node ? [{ cursor: row.cursor, node }] : [];
      });
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.rows.at(-1)?.cursor ?? null },
      };
    },
  }),
}));

/** The fields selected in `set`, looking through inline fragments and fragment spreads. */
function selectedFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectedFields(selection.selectionSet, info);
    return selectedFields(info.fragments[selection.name.value]?.selectionSet, info);
  });
}

/** The names of the Order fields an `orders` call asks for, under `nodes` and under `edges { node }`. */
function requestedOrderFields(info: GraphQLResolveInfo): string[] {
  const connectionFields = info.fieldNodes.flatMap((field) => selectedFields(field.selectionSet, info));
  const orderSelections = connectionFields.flatMap((field) => {
    if (field.name.value === 'nodes') return [field];
    if (field.name.value !== 'edges') return [];
    return selectedFields(field.selectionSet, info).filter((edgeField) => edgeField.name.value === 'node');
  });
  return orderSelections
    .flatMap((field) => selectedFields(field.selectionSet, info))
    .map((field) => field.name.value);
}
