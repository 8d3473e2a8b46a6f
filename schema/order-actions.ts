/** The mutations that place an order and drive it: each maps to a workflow start or an action. */
import { placingFor } from '../common/access';
import type { ActionPayload, OrderAction } from '../common/actions';
import { inputErrors, type OrderOutcome } from '../common/outcomes';
import { actionProblems, placeOrderProblems } from '../common/validation';
import { actionRefusal, forbidden, refusalOf } from './access';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { OrderPayloadRef } from './order';

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
    customerId: t.string({
      description:
        'Whose order: a customer leaves it out (their token says who they are); staff and admin name the customer they place it for.',
    }),
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

/**
 * Sends the action once its input is within bounds and the caller may take it on this order; otherwise
 * nothing is sent and the answer says why (INVALID_INPUT, FORBIDDEN, UNKNOWN_ORDER).
 */
async function act<A extends OrderAction>(
  ctx: GraphQLContext,
  input: { orderId: string | number; requestId?: string | null },
  action: A,
  payload: ActionPayload<A>,
): Promise<OrderOutcome> {
  const orderId = String(input.orderId);
  const problems = actionProblems(orderId, input.requestId, payload);
  if (problems.length > 0) return { order: null, userErrors: inputErrors(problems) };
  return (
    (await actionRefusal(ctx, action, orderId)) ?? ctx.orders.act(orderId, action, payload, input.requestId)
  );
}

builder.mutationFields((t) => ({
  placeOrder: t.field({
    type: OrderPayloadRef,
    description: 'Starts the order; answers once it has been validated and its stock reserved (or refused).',
    args: { input: t.arg({ type: PlaceOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const placing = placingFor(ctx.caller, input.customerId);
      if (placing === 'FORBIDDEN') {
        const message = 'a customer places orders for themselves only; leave customerId out';
        return { order: null, userErrors: [forbidden(['input', 'customerId'], message)] };
      }
      if (typeof placing === 'string')
        return { order: null, userErrors: [refusalOf(placing, 'place orders')] };
      const order = {
        ...input,
        orderId: input.orderId === null || input.orderId === undefined ? null : String(input.orderId),
        customerId: placing.customerId?.trim() ?? '',
        flagged: input.flagged ?? false,
      };
      const problems = placeOrderProblems(order);
      if (problems.length > 0) return { order: null, userErrors: inputErrors(problems) };
      return ctx.orders.place(order);
    },
  }),
  payOrder: t.field({
    type: OrderPayloadRef,
    description: 'Pays an order awaiting payment; answers once the charge has gone through or been declined.',
    args: { input: t.arg({ type: PayOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) => act(ctx, input, 'pay', { paymentMethod: input.paymentMethod }),
  }),
  auditOrder: t.field({
    type: OrderPayloadRef,
    description: 'Staff decision on an order awaiting its risk audit.',
    args: { input: t.arg({ type: AuditOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(ctx, input, 'audit', { approve: input.approve, reason: input.reason ?? undefined }),
  }),
  requestReturn: t.field({
    type: OrderPayloadRef,
    description: 'The customer asks to return a completed order within the return window.',
    args: { input: t.arg({ type: RequestReturnInput, required: true }) },
    resolve: (_root, { input }, ctx) => act(ctx, input, 'requestReturn', { reason: input.reason }),
  }),
  approveReturn: t.field({
    type: OrderPayloadRef,
    description: 'Staff decision on a return request; approval refunds and restocks.',
    args: { input: t.arg({ type: ApproveReturnInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      act(ctx, input, 'approveReturn', { approve: input.approve, reason: input.reason ?? undefined }),
  }),
  cancelOrder: t.field({
    type: OrderPayloadRef,
    description: 'The customer cancels before paying; the stock is released.',
    args: { input: t.arg({ type: CancelOrderInput, required: true }) },
    resolve: (_root, { input }, ctx) => act(ctx, input, 'cancel', { reason: input.reason ?? undefined }),
  }),
}));
