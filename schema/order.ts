/**
 * The order type and how to read one. An order comes as its full state (from the read model the workflow keeps,
 * or from the workflow itself); an order begun before the read model is listed by its row, and the fields beyond
 * that row read its workflow when asked for.
 */
import { GraphQLError } from 'graphql';
import {
  type Address,
  ORDER_STATUSES,
  type OrderFailure,
  type OrderState,
  type OrderSummary,
  type OrderView,
  type PricedLine,
  type Shipment,
  type TimelineEntry,
} from '../common/order';
import type { OrderOutcome } from '../common/outcomes';
import { readableOrder } from './access';
import { checkOrderId } from './arguments';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { UserErrorRef } from './user-error';

const fullStates = new WeakMap<OrderSummary, Promise<OrderState>>();

/** The workflow's state behind a listed row, read once per order however many detail fields ask. */
function fullState(order: OrderSummary, ctx: GraphQLContext): Promise<OrderState> {
  let state = fullStates.get(order);
  if (!state) {
    state = ctx.orders.read(order.orderId, { fresh: true }).then((read) => {
      if (!read) {
        throw new GraphQLError(`order ${order.orderId} is listed but Temporal no longer keeps its details`, {
          extensions: { code: 'ORDER_DETAILS_EXPIRED' },
        });
      }
      return read;
    });
    fullStates.set(order, state);
  }
  return state;
}

/**
 * A resolver for a field only the full state has: answered at once when the order came whole (no promise per field,
 * which cost a page of 50 orders a tenth of its CPU), else once its workflow has been read.
 */
function detail<T>(pick: (state: OrderState) => T) {
  return (order: OrderView, _args: object, ctx: GraphQLContext): T | Promise<T> =>
    'timeline' in order ? pick(order) : fullState(order, ctx).then(pick);
}

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

export const OrderRef = builder.objectRef<OrderView>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('orderId'),
    customerId: t.exposeString('customerId'),
    status: t.field({ type: OrderStatusEnum, resolve: (order) => order.status }),
    version: t.exposeInt('version'),
    totalCents: t.exposeInt('totalCents'),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
    step: t.string({ nullable: true, resolve: detail((order) => order.step) }),
    items: t.field({ type: [OrderItemRef], resolve: detail((order) => order.items) }),
    address: t.field({ type: AddressRef, resolve: detail((order) => order.address) }),
    failureReason: t.string({ nullable: true, resolve: detail((order) => order.failure?.message ?? null) }),
    failure: t.field({ type: OrderFailureRef, nullable: true, resolve: detail((order) => order.failure) }),
    timeline: t.field({ type: [TimelineEntryRef], resolve: detail((order) => order.timeline) }),
    payment: t.field({ type: PaymentRef, resolve: detail((order) => order.payment) }),
    shipments: t.field({ type: [ShipmentRef], resolve: detail((order) => order.shipments) }),
    reservationStatus: t.string({ resolve: detail((order) => order.reservation.status) }),
    returnReason: t.string({ nullable: true, resolve: detail((order) => order.returnReason) }),
    escalations: t.stringList({ resolve: detail((order) => order.escalations) }),
  }),
});

export const OrderPayloadRef = builder.objectRef<OrderOutcome>('OrderPayload').implement({
  fields: (t) => ({
    order: t.field({ type: OrderRef, nullable: true, resolve: (payload) => payload.order }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
  }),
});

builder.queryFields((t) => ({
  order: t.field({
    type: OrderRef,
    nullable: true,
    description:
      'From the read model the workflow keeps at every change (never older than what your own mutations ' +
      'answered); `fresh: true` asks the workflow itself, at the cost of a query through Temporal.',
    args: {
      id: t.arg.id({ required: true }),
      fresh: t.arg.boolean({ defaultValue: false }),
    },
    resolve: (_root, { id, fresh }, ctx) => readableOrder(ctx, checkOrderId(id), { fresh: fresh ?? false }),
  }),
}));
