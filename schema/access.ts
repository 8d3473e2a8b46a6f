/** The access rules of `common/access.ts` turned into the API's answers: GraphQL errors or user errors. */
import { GraphQLError } from 'graphql';
import { type OrderOperation, orderAccess, orderOperationAccess, type Verdict } from '../common/access';
import type { OrderAction } from '../common/actions';
import type { OrderState } from '../common/order';
import { type OrderOutcome, type UserError, unknownOrderError } from '../common/outcomes';
import type { GraphQLContext, ReadOptions } from './context';

export function unauthenticated(): GraphQLError {
  return new GraphQLError('sign in first: send a bearer token in the Authorization header', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

export function forbidden(field: string[] | null, message: string): UserError {
  return { field, code: 'FORBIDDEN', message };
}

/** A verdict that stops the request: anonymous callers get a GraphQL error, every other refusal a user error. */
export function refusalOf(
  verdict: Exclude<Verdict, 'ALLOWED'>,
  what: string,
  field: string[] | null = null,
): UserError {
  if (verdict === 'UNAUTHENTICATED') throw unauthenticated();
  return forbidden(field, `your role may not ${what}`);
}

/** Whether the caller may see this order; another customer's order is as good as absent. */
export function canSee(ctx: GraphQLContext, operation: 'read' | 'subscribe') {
  const verdict = orderOperationAccess(ctx.caller, operation);
  if (verdict === 'UNAUTHENTICATED') throw unauthenticated();
  return (order: OrderState) => orderAccess(ctx.caller, operation, order) === 'ALLOWED';
}

/** The order, when it exists and the caller may read it; else null. */
export async function readableOrder(
  ctx: GraphQLContext,
  orderId: string,
  options?: ReadOptions,
): Promise<OrderState | null> {
  const visible = canSee(ctx, 'read');
  const order = await ctx.orders.read(orderId, options);
  return order && visible(order) ? order : null;
}

/**
 * Why the caller may not take this action on this order, as the mutation's answer; null when they may.
 * A customer's own orders are checked on the order itself; another customer's order reads as unknown.
 */
export async function actionRefusal(
  ctx: GraphQLContext,
  action: OrderOperation & OrderAction,
  orderId: string,
): Promise<OrderOutcome | null> {
  const verdict = orderOperationAccess(ctx.caller, action);
  if (verdict !== 'ALLOWED') return { order: null, userErrors: [refusalOf(verdict, action)] };
  if (ctx.caller.kind !== 'user') return null;
  const order = await ctx.orders.read(orderId);
  if (order && orderAccess(ctx.caller, action, order) === 'ALLOWED') return null;
  return { order: null, userErrors: [unknownOrderError(orderId)] };
}
