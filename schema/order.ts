/** The order: its type, how to read one or a page of them, and the mutations that place and drive it. */
import type { UpdateDefinition } from '@temporalio/common';
import { GraphQLError } from 'graphql';
import {
  type ActionRefusal,
  approveReturnUpdate,
  auditUpdate,
  cancelUpdate,
  payUpdate,
  requestReturnUpdate,
} from '../common/actions';
import {
  type Address,
  ORDER_STATUSES,
  type OrderFailure,
  type OrderState,
  type PricedLine,
  type Shipment,
  type TimelineEntry,
} from '../common/order';
import { orderInputProblems } from '../common/validation';
import { failureOf, type OrderOutcome } from '../server/temporal-orders';
import { listOrders, OrderListCursorError } from '../worker/order-list';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { inputError, UserErrorRef } from './user-error';

export const OrderStatusEnum = builder.enumType('OrderStatus', { values: ORDER_STATUSES });

const OrderItemRef = builder.objectRef<PricedLine>('OrderItem').implement({
  fields: (t) => ({
    sku: t.exposeString('sku'),
    name: t.exposeString('name'),
    quantity: t.exposeInt('quantity'),
    unitPriceCents: t.exposeInt('unitPriceCents'),
    warehouse: t.exposeString('warehouse'),
  }),
});

const AddressRef = builder.objectRef<Address>('Address').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    line1: t.exposeString('line1'),
    city: t.exposeString('city'),
    postalCode: t.exposeString('postalCode'),
    country: t.exposeString('country'),
  }),
});

const TimelineEntryRef = builder.objectRef<TimelineEntry>('TimelineEntry').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    status: t.field({ type: OrderStatusEnum, resolve: (entry) => entry.status }),
    step: t.exposeString('step', { nullable: true }),
    message: t.exposeString('message'),
    at: t.exposeString('at', { description: 'ISO 8601 time of the change.' }),
  }),
});

const PaymentRef = builder.objectRef<OrderState['payment']>('Payment').implement({
  fields: (t) => ({
    status: t.exposeString('status'),
    method: t.exposeString('method', { nullable: true }),
    amountCents: t.exposeInt('amountCents'),
    refundedCents: t.exposeInt('refundedCents'),
  }),
});

const ShipmentRef = builder.objectRef<Shipment>('Shipment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    warehouse: t.exposeString('warehouse'),
    trackingNumber: t.exposeString('trackingNumber'),
    status: t.exposeString('status'),
  }),
});

const OrderFailureRef = builder.objectRef<OrderFailure>('OrderFailure').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    step: t.exposeString('step'),
  }),
});

export const OrderRef = builder.objectRef<OrderState>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('orderId'),
    customerId: t.exposeString('customerId'),
    status: t.field({ type: OrderStatusEnum, resolve: (order) => order.status }),
    version: t.exposeInt('version'),
    step: t.exposeString('step', { nullable: true }),
    items: t.field({ type: [OrderItemRef], resolve: (order) => order.items }),
    totalCents: t.exposeInt('totalCents'),
    address: t.field({ type: AddressRef, resolve: (order) => order.address }),
    failureReason: t.string({ nullable: true, resolve: (order) => order.failure?.message ?? null }),
    failure: t.field({ type: OrderFailureRef, nullable: true, resolve: (order) => order.failure }),
    timeline: t.field({ type: [TimelineEntryRef], resolve: (order) => order.timeline }),
    payment: t.field({ type: PaymentRef, resolve: (order) => order.payment }),
    shipments: t.field({ type: [ShipmentRef], resolve: (order) => order.shipments }),
    reservationStatus: t.string({ resolve: (order) => order.reservation.status }),
    returnReason: t.exposeString('returnReason', { nullable: true }),
    escalations: t.exposeStringList('escalations'),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

const OrderPayloadRef = builder.objectRef<OrderOutcome>('OrderPayload').implement({
  fields: (t) => ({
    order: t.field({ type: OrderRef, nullable: true, resolve: (payload) => payload.order }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
  }),
});

interface OrderEdge {
  cursor: string;
  node: OrderState;
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

const MAX_PAGE = 100;

builder.queryFields((t) => ({
  order: t.field({
    type: OrderRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.orders.read(String(id)),
  }),
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
      if (first < 1 || first > MAX_PAGE) throw badArgument('first', `first must be 1 to ${MAX_PAGE}`);
      const page = await listOrders(ctx.orm, { ...args, first }).catch((error: unknown) => {
        if (error instanceof OrderListCursorError) throw badArgument('after', error.message);
        throw error;
      });
      const states = await Promise.all(page.rows.map((row) => ctx.orders.read(row.orderId)));
      const edges = page.rows.flatMap((row, index) => {
        const node = states[index];
        return node ? [{ cursor: row.cursor, node }] : [];
      });
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.rows.at(-1)?.cursor ?? null },
      };
    },
  }),
}));

/** A GraphQL error that names the argument at fault; for queries, which have no payload for user errors. */
function badArgument(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

const OrderLineInput = builder.inputType('OrderLineInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    quantity: t.int({ required: true }),
  }),
});

const AddressInput = builder.inputType('AddressInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    line1: t.string({ required: true }),
    city: t.string({ required: true }),
    postalCode: t.string({ required: true }),
    country: t.string({ required: true }),
  }),
});

const PlaceOrderInput = builder.inputType('PlaceOrderInput', {
  fields: (t) => ({
    orderId: t.id({ description: 'Your id for the order: placing it again returns the same order.' }),
    customerId: t.string({ required: true }),
    items: t.field({ type: [OrderLineInput], required: true }),
    address: t.field({ type: AddressInput, required: true }),
    flagged: t.boolean({ description: 'Send the order to a staff risk audit whatever its amount.' }),
  }),
});

const requestId = { description: 'Your id for this request: a retry with the same id is answered once.' };

const PayOrderInput = builder.inputType('PayOrderInput', {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    paymentMethod: t.string({ required: true, description: 'tok_visa, tok_chargeDeclined or tok_flaky' }),
    requestId: t.string(requestId),
  }),
});

const AuditOrderInput = builder.inputType('AuditOrderInput', {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    approve: t.boolean({ required: true }),
    reason: t.string({ description: 'Required to reject.' }),
    requestId: t.string(requestId),
  }),
});

const RequestReturnInput = builder.inputType('RequestReturnInput', {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    reason: t.string({ required: true }),
    requestId: t.string(requestId),
  }),
});

const ApproveReturnInput = builder.inputType('ApproveReturnInput', {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    approve: t.boolean({ required: true }),
    reason: t.string({ description: 'Required to reject.' }),
    requestId: t.string(requestId),
  }),
});

const CancelOrderInput = builder.inputType('CancelOrderInput', {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    reason: t.string(),
    requestId: t.string(requestId),
  }),
});

const PLACE_ORDER_WAIT_MS = 10_000;

async function act<A>(
  ctx: GraphQLContext,
  orderId: string | number,
  update: UpdateDefinition<OrderState, [A]>,
  action: A,
  refusal: ActionRefusal,
  request: string | null | undefined,
): Promise<OrderOutcome> {
  const id = String(orderId);
  const outcome = await ctx.orders.act(id, update, action, refusal, request);
  ctx.feed.nudge(id);
  return outcome;
}

builder.mutationFields((t) => ({
  placeOrder: t.field({
    type: OrderPayloadRef,
    description: 'Starts the order; answers once it has been validated and its stock reserved (or refused).',
    args: { input: t.arg({ type: PlaceOrderInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const problems = orderInputProblems(input.items, input.address).map((problem) =>
        inputError(['input', ...problem.field], problem.message),
      );
      if (!input.customerId.trim()) problems.push(inputError(['input', 'customerId'], 'customerId is empty'));
      if (
        input.orderId !== null &&
        input.orderId !== undefined &&
        !/^[\w.:-]{1,100}$/.test(String(input.orderId))
      ) {
        problems.push(inputError(['input', 'orderId'], 'orderId must be 1-100 letters, digits, _ . : or -'));
      }
      if (problems.length > 0) return { order: null, userErrors: problems };
      const { orderId } = await ctx.orders.place({
        orderId: input.orderId === null || input.orderId === undefined ? null : String(input.orderId),
        customerId: input.customerId.trim(),
        items: input.items,
        address: input.address,
        flagged: input.flagged ?? false,
      });
      const order =
        (await ctx.feed.waitFor(orderId, (state) => !ctx.orders.isSettling(state), PLACE_ORDER_WAIT_MS)) ??
        (await ctx.orders.read(orderId));
      return { order, userErrors: order ? failureOf(order) : [] };
    },
  }),
  payOrder: t.field({
    type: OrderPayloadRef,
    description: 'Pays an order awaiting payment; answers once the charge has gone through or been declined.',
    args: { input: t.arg({ type: PayOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(
        ctx,
        input.orderId,
        payUpdate,
        { paymentMethod: input.paymentMethod },
        'NOT_AWAITING_PAYMENT',
        input.requestId,
      ),
  }),
  auditOrder: t.field({
    type: OrderPayloadRef,
    description: 'Staff decision on an order awaiting its risk audit.',
    args: { input: t.arg({ type: AuditOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(
        ctx,
        input.orderId,
        auditUpdate,
        { approve: input.approve, reason: input.reason ?? undefined },
        'NOT_AWAITING_AUDIT',
        input.requestId,
      ),
  }),
  requestReturn: t.field({
    type: OrderPayloadRef,
    description: 'The customer asks to return a completed order within the return window.',
    args: { input: t.arg({ type: RequestReturnInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(
        ctx,
        input.orderId,
        requestReturnUpdate,
        { reason: input.reason },
        'RETURN_NOT_ALLOWED',
        input.requestId,
      ),
  }),
  approveReturn: t.field({
    type: OrderPayloadRef,
    description: 'Staff decision on a return request; approval refunds and restocks.',
    args: { input: t.arg({ type: ApproveReturnInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(
        ctx,
        input.orderId,
        approveReturnUpdate,
        { approve: input.approve, reason: input.reason ?? undefined },
        'NO_RETURN_REQUESTED',
        input.requestId,
      ),
  }),
  cancelOrder: t.field({
    type: OrderPayloadRef,
    description: 'The customer cancels before paying; the stock is released.',
    args: { input: t.arg({ type: CancelOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(
        ctx,
        input.orderId,
        cancelUpdate,
        { reason: input.reason ?? undefined },
        'NOT_CANCELLABLE',
        input.requestId,
      ),
  }),
}));
