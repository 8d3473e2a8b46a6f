/** What a customer or staff member can do to the order in its current status, as typed mutations. */
import type { OrderStatus, OrderViewFragment } from '../generated/graphql';
import { request, requestId } from './client';
import { APPROVE_RETURN, AUDIT_ORDER, CANCEL_ORDER, PAY_ORDER, REQUEST_RETURN } from './operations';
import type { Role } from './session';

export interface Payload {
  order: OrderViewFragment | null;
  userErrors: { field?: string[] | null; code: string; message: string }[];
}

export interface Action {
  label: string;
  tone?: 'primary' | 'danger';
  /** Said once the server has accepted it. */
  done: string;
  run(): Promise<Payload>;
}

const CANCELLABLE: readonly OrderStatus[] = ['VALIDATING', 'AWAITING_AUDIT', 'RESERVING', 'AWAITING_PAYMENT'];

/** The actions `role` may take on the order in its status: what the API's access rules allow, no more. */
export function actionsFor({ id: orderId, status }: OrderViewFragment, role: Role): Action[] {
  const input = () => ({ orderId, requestId: requestId() });
  const pay = (paymentMethod: string, label: string, done: string, tone?: 'primary'): Action => ({
    label,
    tone,
    done,
    run: async () => (await request(PAY_ORDER, { input: { ...input(), paymentMethod } })).payOrder,
  });
  const audit = (approve: boolean): Action => ({
    label: approve ? 'Staff: approve audit' : 'Staff: reject audit',
    tone: approve ? 'primary' : 'danger',
    done: approve ? 'Audit approved.' : 'Audit rejected.',
    run: async () =>
      (
        await request(AUDIT_ORDER, {
          input: { ...input(), approve, reason: approve ? null : 'rejected by staff' },
        })
      ).auditOrder,
  });
  const decideReturn = (approve: boolean): Action => ({
    label: approve ? 'Staff: approve return' : 'Staff: reject return',
    tone: approve ? 'primary' : 'danger',
    done: approve ? 'Return approved.' : 'Return rejected.',
    run: async () =>
      (
        await request(APPROVE_RETURN, {
          input: { ...input(), approve, reason: approve ? null : 'rejected by staff' },
        })
      ).approveReturn,
  });
  const cancel: Action = {
    label: 'Cancel order',
    tone: 'danger',
    done: 'Cancellation sent.',
    run: async () =>
      (await request(CANCEL_ORDER, { input: { ...input(), reason: 'cancelled by the customer' } }))
        .cancelOrder,
  };
  const requestReturn: Action = {
    label: 'Request a return',
    done: 'Return requested.',
    run: async () =>
      (await request(REQUEST_RETURN, { input: { ...input(), reason: 'changed my mind' } })).requestReturn,
  };

  const actions: Action[] = [];
  const staff = role !== 'customer';
  if (status === 'AWAITING_PAYMENT' && !staff) {
    actions.push(
      pay('tok_visa', 'Pay (tok_visa)', 'Payment accepted.', 'primary'),
      pay('tok_chargeDeclined', 'Pay with a declined card', 'Payment sent.'),
      pay('tok_flaky', 'Pay with a flaky card', 'Payment accepted after retries.'),
    );
  }
  if (status === 'AWAITING_AUDIT' && staff) actions.push(audit(true), audit(false));
  if (CANCELLABLE.includes(status)) actions.push(cancel);
  if (status === 'COMPLETED') actions.push(requestReturn);
  if (status === 'RETURN_REQUESTED' && staff) actions.push(decideReturn(true), decideReturn(false));
  return actions;
}
