/** The live feed: every status change of one order, in version order, resumable from a version. */
import type { OrderStatusEvent } from '../common/order';
import { canSee } from './access';
import { checkOrderId, checkSinceVersion } from './arguments';
import { builder } from './builder';
import { OrderRef, OrderStatusEnum } from './order';

const OrderStatusEventRef = builder.objectRef<OrderStatusEvent>('OrderStatusEvent').implement({
  fields: (t) => ({
    orderId: t.exposeID('orderId'),
    status: t.field({ type: OrderStatusEnum, resolve: (event) => event.status }),
    version: t.exposeInt('version'),
    step: t.exposeString('step', { nullable: true }),
    message: t.exposeString('message'),
    at: t.exposeString('at'),
    order: t.field({ type: OrderRef, resolve: (event) => event.order }),
  }),
});

builder.subscriptionFields((t) => ({
  orderStatus: t.field({
    type: OrderStatusEventRef,
    description:
      'The current state first (or, with sinceVersion, every change after that version), then every change; ' +
      'completes when the order can no longer change.',
    args: { id: t.arg.id({ required: true }), sinceVersion: t.arg.int() },
    subscribe: (_root, { id, sinceVersion }, ctx) => {
      const orderId = checkOrderId(id);
      checkSinceVersion(sinceVersion);
      return ctx.feed.stream(orderId, sinceVersion, canSee(ctx, 'subscribe'));
    },
    resolve: (event) => event,
  }),
}));
