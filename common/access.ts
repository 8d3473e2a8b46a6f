/**
 * Who may do what: every authorization rule of the API in one place, as data and a few small functions.
 * The schema asks these before it acts; `test/unit/access.test.ts` checks them as a table.
 */
import type { OrderAction } from './actions';

export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Whoever sent the request: nobody (no token), a signed-in user, or `system` when authentication is switched
 * off on purpose (`AUTH_DISABLED=true`), which may do everything.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; subject: string; role: Role }
  | { kind: 'system' };

export const ANONYMOUS: Caller = { kind: 'anonymous' };
export const SYSTEM: Caller = { kind: 'system' };

/** ALLOWED, or why not; `NOT_FOUND` hides that another customer's order exists. */
export type Verdict = 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

export type OrderOperation = 'read' | 'subscribe' | OrderAction;

/** Per operation on an existing order: may its own customer do it, and may staff (and admin)? */
const ORDER_RULES: Record<OrderOperation, { customer: boolean; staff: boolean }> = {
  read: { customer: true, staff: true },
  subscribe: { customer: true, staff: true },
  pay: { customer: true, staff: false },
  cancel: { customer: true, staff: true },
  requestReturn: { customer: true, staff: true },
  audit: { customer: false, staff: true },
  approveReturn: { customer: false, staff: true },
};

function isStaff(role: Role): boolean {
  return role === 'staff' || role === 'admin';
}

/** Whether the caller may do `operation` at all, before the order is known (the role rules). */
export function orderOperationAccess(caller: Caller, operation: OrderOperation): Verdict {
  if (caller.kind === 'system') return 'ALLOWED';
  if (caller.kind === 'anonymous') return 'UNAUTHENTICATED';
  const rule = ORDER_RULES[operation];
  return (isStaff(caller.role) ? rule.staff : rule.customer) ? 'ALLOWED' : 'FORBIDDEN';
}

/** Whether the caller may do `operation` on this order: the role rules, then a customer's own orders only. */
export function orderAccess(
  caller: Caller,
  operation: OrderOperation,
  order: { customerId: string },
): Verdict {
  const verdict = orderOperationAccess(caller, operation);
  if (verdict !== 'ALLOWED' || caller.kind !== 'user' || isStaff(caller.role)) return verdict;
  return order.customerId === caller.subject ? 'ALLOWED' : 'NOT_FOUND';
}

/**
 * Which orders a listing may show: a customer's own only (asking for another customer's gives nothing),
 * staff and admin every order, optionally one customer's.
 */
export function listingScope(
  caller: Caller,
  customerId: string | null | undefined,
): 'UNAUTHENTICATED' | { customerId: string | null; empty: boolean } {
  if (caller.kind === 'anonymous') return 'UNAUTHENTICATED';
  if (caller.kind === 'user' && !isStaff(caller.role)) {
    return { customerId: caller.subject, empty: Boolean(customerId) && customerId !== caller.subject };
  }
  return { customerId: customerId || null, empty: false };
}

/**
 * Whose order `placeOrder` places: a customer's own (the token's subject; a different `customerId` is
 * FORBIDDEN), or for staff and admin the customer they name (required: they place on a customer's behalf).
 */
export function placingFor(
  caller: Caller,
  customerId: string | null | undefined,
): 'UNAUTHENTICATED' | 'FORBIDDEN' | { customerId: string | null } {
  if (caller.kind === 'anonymous') return 'UNAUTHENTICATED';
  if (caller.kind === 'user' && !isStaff(caller.role)) {
    if (customerId === null || customerId === undefined) return { customerId: caller.subject };
    // A blank one is a mistake in the input, not another customer: validation answers it.
    if (customerId === caller.subject || !customerId.trim()) return { customerId };
    return 'FORBIDDEN';
  }
  return { customerId: customerId ?? null };
}

/** The catalogue: anyone reads it, only admin changes it. */
export function catalogueEditAccess(caller: Caller): Verdict {
  if (caller.kind === 'system') return 'ALLOWED';
  if (caller.kind === 'anonymous') return 'UNAUTHENTICATED';
  return caller.role === 'admin' ? 'ALLOWED' : 'FORBIDDEN';
}

/** Temporal payloads hold customers' names and addresses: staff and admin may read them (the Web UI's codec). */
export function payloadReadAccess(caller: Caller): Verdict {
  if (caller.kind === 'system') return 'ALLOWED';
  if (caller.kind === 'anonymous') return 'UNAUTHENTICATED';
  return isStaff(caller.role) ? 'ALLOWED' : 'FORBIDDEN';
}
