/**
 * Customer and staff actions arrive as updates: a validator refuses an action the order cannot take
 * now (nothing is written to history), the handler leaves it in the inbox for the saga and answers
 * the caller with the order once the action has had its effect.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import {
  type ActionRefusal,
  type AuditAction,
  type CancelAction,
  getOrderQuery,
  ORDER_ACTIONS,
  type PayAction,
  type RefusalDetails,
  type ReturnDecisionAction,
  type ReturnRequestAction,
} from '../../common/actions';
import { isFinal, type OrderStatus } from '../../common/order';
import { actionPayloadProblems } from '../../common/validation';
import type { OrderTracker } from './order-tracker';

export interface ActionInbox {
  payment: PayAction | null;
  audit: AuditAction | null;
  cancel: CancelAction | null;
  returnRequest: ReturnRequestAction | null;
  returnDecision: ReturnDecisionAction | null;
  returnWindowOpen: boolean;
}

/** A customer may cancel until the order is paid; after that it ships or compensates by itself. */
const CANCELLABLE: readonly OrderStatus[] = ['VALIDATING', 'AWAITING_AUDIT', 'RESERVING', 'AWAITING_PAYMENT'];

function requireText(value: string | undefined, field: string): void {
  if (typeof value !== 'string' || value.trim() === '')
    throw ApplicationFailure.nonRetryable(`${field} is empty`, 'INVALID_INPUT' satisfies ActionRefusal);
}

/** Text past the limits table would grow the order (every update answers with it) past Temporal's payload limit. */
function requireWithinBounds(action: { paymentMethod?: unknown; reason?: unknown } | undefined): void {
  const [problem] = actionPayloadProblems(action ?? {});
  if (problem)
    throw ApplicationFailure.nonRetryable(problem.message, 'INVALID_INPUT' satisfies ActionRefusal);
}

export function openActionInbox(order: OrderTracker): ActionInbox {
  const inbox: ActionInbox = {
    payment: null,
    audit: null,
    cancel: null,
    returnRequest: null,
    returnDecision: null,
    returnWindowOpen: false,
  };
  const { orderId } = order.state;
  const refuseUnless = (condition: unknown, code: ActionRefusal, message: string) => {
    if (condition) return;
    const details: RefusalDetails = { refusedAtVersion: order.state.version };
    throw ApplicationFailure.create({ message, type: code, nonRetryable: true, details: [details] });
  };
  const statusLeaves = async (...statuses: OrderStatus[]) => {
    await condition(() => !statuses.includes(order.status));
    return order.state;
  };

  setHandler(getOrderQuery, () => order.state);

  setHandler(
    ORDER_ACTIONS.pay.update,
    (action) => {
      inbox.payment = { paymentMethod: action.paymentMethod.trim() };
      return statusLeaves('AWAITING_PAYMENT', 'CHARGING');
    },
    {
      validator: (action) => {
        refuseUnless(
          order.status === 'AWAITING_PAYMENT' && !inbox.payment && !inbox.cancel,
          ORDER_ACTIONS.pay.refusal,
          `order ${orderId} is ${order.status}, not awaiting payment`,
        );
        requireText(action?.paymentMethod, 'paymentMethod');
        requireWithinBounds(action);
      },
    },
  );

  setHandler(
    ORDER_ACTIONS.audit.update,
    (action) => {
      inbox.audit = { approve: action.approve, reason: action.reason?.trim() || undefined };
      return statusLeaves('AWAITING_AUDIT', 'RESERVING');
    },
    {
      validator: (action) => {
        refuseUnless(
          order.status === 'AWAITING_AUDIT' && !inbox.audit && !inbox.cancel,
          ORDER_ACTIONS.audit.refusal,
          `order ${orderId} is ${order.status}, not awaiting an audit`,
        );
        refuseUnless(typeof action?.approve === 'boolean', 'INVALID_INPUT', 'approve must be true or false');
        if (!action.approve) requireText(action.reason, 'reason');
        requireWithinBounds(action);
      },
    },
  );

  setHandler(
    ORDER_ACTIONS.cancel.update,
    async (action) => {
      inbox.cancel = { reason: action.reason?.trim() || 'cancelled by the customer' };
      await condition(() => isFinal(order.status));
      return order.state;
    },
    {
      validator: (action) => {
        refuseUnless(
          CANCELLABLE.includes(order.status) && !inbox.cancel && !inbox.payment,
          ORDER_ACTIONS.cancel.refusal,
          `order ${orderId} is ${inbox.payment ? 'paid' : order.status}; it can be cancelled only before payment`,
        );
        requireWithinBounds(action);
      },
    },
  );

  setHandler(
    ORDER_ACTIONS.requestReturn.update,
    (action) => {
      inbox.returnRequest = { reason: action.reason.trim() };
      return statusLeaves('COMPLETED');
    },
    {
      validator: (action) => {
        refuseUnless(
          order.status === 'COMPLETED' && inbox.returnWindowOpen && !inbox.returnRequest,
          ORDER_ACTIONS.requestReturn.refusal,
          order.status === 'COMPLETED'
            ? `order ${orderId}: the return window has closed`
            : `order ${orderId} is ${order.status}; only a completed order can be returned`,
        );
        requireText(action?.reason, 'reason');
        requireWithinBounds(action);
      },
    },
  );

  setHandler(
    ORDER_ACTIONS.approveReturn.update,
    (action) => {
      inbox.returnDecision = { approve: action.approve, reason: action.reason?.trim() || undefined };
      return statusLeaves('RETURN_REQUESTED', 'RETURNING');
    },
    {
      validator: (action) => {
        refuseUnless(
          order.status === 'RETURN_REQUESTED' && !inbox.returnDecision,
          ORDER_ACTIONS.approveReturn.refusal,
          `order ${orderId} is ${order.status}; there is no return request to decide`,
        );
        refuseUnless(typeof action?.approve === 'boolean', 'INVALID_INPUT', 'approve must be true or false');
        if (!action.approve) requireText(action.reason, 'reason');
        requireWithinBounds(action);
      },
    },
  );

  return inbox;
}
