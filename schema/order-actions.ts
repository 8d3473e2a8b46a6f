/** The mutations that place an order and drive it: each maps to a workflow start or an update. */
import type { UpdateDefinition } from '@temporalio/common';
import {
  type ActionRefusal,
  approveReturnUpdate,
  auditUpdate,
  cancelUpdate,
  payUpdate,
  requestReturnUpdate,
} from '../common/actions';
import type { Address, OrderLine, OrderState } from '../common/order';
import { orderInputProblems } from '../common/validation';
import { failureOf, type OrderOutcome, type UserError } from '../server/temporal-orders';
import { waitUntilListed } from '../worker/order-list';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { OrderPayloadRef } from './order';
import { inputError } from './user-error';

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
/** A mutation answers once `orders(...)` shows what it did, unless the order list lags longer than this. */
const LISTED_WAIT_MS = 2_000;

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
  if (outcome.order) await waitUntilListed(ctx.orm, outcome.order, LISTED_WAIT_MS);
  return outcome;
}

/** Order ids become workflow ids; a colon could take the id of another order's shipment (`<id>:shipment:<warehouse>`). */
const ORDER_ID = /^[\w.-]{1,100}$/;

function placeOrderProblems(input: {
  orderId?: string | number | null;
  customerId: string;
  items: OrderLine[];
  address: Address;
}): UserError[] {
  const problems = orderInputProblems(input.items, input.address).map((problem) =>
    inputError(['input', ...problem.field], problem.message),
  );
  if (!input.customerId.trim()) problems.push(inputError(['input', 'customerId'], 'customerId is empty'));
  if (input.orderId !== null && input.orderId !== undefined && !ORDER_ID.test(String(input.orderId))) {
    problems.push(inputError(['input', 'orderId'], 'orderId must be 1-100 letters, digits, _ . or -'));
  }
  return problems;
}

builder.mutationFields((t) => ({
  placeOrder: t.field({
    type: OrderPayloadRef,
    description: 'Starts the order; answers once it has been validated and its stock reserved (or refused).',
    args: { input: t.arg({ type: PlaceOrderInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const problems = placeOrderProblems(input);
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
      if (!order) return { order: null, userErrors: [] };
      await waitUntilListed(ctx.orm, order, LISTED_WAIT_MS);
      return { order, userErrors: failureOf(order) };
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
