/**
 * The workflow's public surface: its name and type, its query, and the actions sent to it as updates.
 * Defined once, used by the workflow (handlers) and by the API and tests (callers).
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OrderInput, OrderState } from './order';

export const ORDER_WORKFLOW = 'orderWorkflow';
/** The order workflow's signature: the API starts it by name with typed arguments. */
export type OrderWorkflow = (input: OrderInput) => Promise<OrderState>;

export interface PayAction {
  paymentMethod: string;
}
export interface AuditAction {
  approve: boolean;
  reason?: string;
}
export interface CancelAction {
  reason?: string;
}
export interface ReturnRequestAction {
  reason: string;
}
export interface ReturnDecisionAction {
  approve: boolean;
  reason?: string;
}

interface ActionPayloads {
  pay: PayAction;
  audit: AuditAction;
  cancel: CancelAction;
  requestReturn: ReturnRequestAction;
  approveReturn: ReturnDecisionAction;
}
export type OrderAction = keyof ActionPayloads;
export type ActionPayload<A extends OrderAction> = ActionPayloads[A];

/** Why an action was refused; the update validator throws an ApplicationFailure of this type. */
export type ActionRefusal =
  | 'INVALID_INPUT'
  | 'NOT_AWAITING_PAYMENT'
  | 'NOT_AWAITING_AUDIT'
  | 'NOT_CANCELLABLE'
  | 'RETURN_NOT_ALLOWED'
  | 'NO_RETURN_REQUESTED';

/**
 * What a refusal carries beside its code: the version of the order it was refused at. The order table can show a
 * later version than the workflow holds for a moment (a worker lost after a local activity wrote the change, before
 * its workflow task completed); the API sends such an action again once the workflow has caught up.
 */
export interface RefusalDetails {
  refusedAtVersion: number;
}

export const getOrderQuery = defineQuery<OrderState>('getOrder');

export interface ActionDefinition<A extends OrderAction> {
  /** Answers with the order once the action has had its effect (a charge, a cancellation...). */
  update: UpdateDefinition<OrderState, [ActionPayload<A>], A>;
  /**
   * The code of an action the order is in no state to take: the workflow's validator answers it while the
   * order runs, the API once its workflow has closed.
   */
  refusal: Exclude<ActionRefusal, 'INVALID_INPUT'>;
}

export const ORDER_ACTIONS: { [A in OrderAction]: ActionDefinition<A> } = {
  pay: { update: defineUpdate('pay'), refusal: 'NOT_AWAITING_PAYMENT' },
  audit: { update: defineUpdate('audit'), refusal: 'NOT_AWAITING_AUDIT' },
  cancel: { update: defineUpdate('cancel'), refusal: 'NOT_CANCELLABLE' },
  requestReturn: { update: defineUpdate('requestReturn'), refusal: 'RETURN_NOT_ALLOWED' },
  approveReturn: { update: defineUpdate('approveReturn'), refusal: 'NO_RETURN_REQUESTED' },
};
