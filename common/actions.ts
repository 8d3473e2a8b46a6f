/**
 * The workflow's public surface: its name, task queue, query and updates. Defined once, used by the
 * workflow (handlers) and by the server and tests (callers).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OrderState } from './order';

export const ORDER_WORKFLOW = 'orderWorkflow';
export const SHIPMENT_WORKFLOW = 'shipmentWorkflow';

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

/** Why an action was refused; the update validator throws an ApplicationFailure of this type. */
export type ActionRefusal =
  | 'INVALID_INPUT'
  | 'NOT_AWAITING_PAYMENT'
  | 'NOT_AWAITING_AUDIT'
  | 'NOT_CANCELLABLE'
  | 'RETURN_NOT_ALLOWED'
  | 'NO_RETURN_REQUESTED';

export const getOrderQuery = defineQuery<OrderState>('getOrder');

/** Each update answers with the order once the action has had its effect (a charge, a cancellation...). */
export const payUpdate = defineUpdate<OrderState, [PayAction]>('pay');
export const auditUpdate = defineUpdate<OrderState, [AuditAction]>('audit');
export const cancelUpdate = defineUpdate<OrderState, [CancelAction]>('cancel');
export const requestReturnUpdate = defineUpdate<OrderState, [ReturnRequestAction]>('requestReturn');
export const approveReturnUpdate = defineUpdate<OrderState, [ReturnDecisionAction]>('approveReturn');

export function shipmentWorkflowId(orderId: string, warehouse: string): string {
  return `${orderId}:shipment:${warehouse}`;
}
