/**
 * Workers can be split by role and scaled apart: `orders` runs the workflows (and the order list and outbox
 * activities), the others run the activities of one external system each, on task queues beside the orders
 * queue: `orders`, `orders-inventory`, `orders-payments`, `orders-shipping`.
 */
export const WORKER_ROLES = ['orders', 'inventory', 'payments', 'shipping'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export function taskQueueOf(ordersQueue: string, role: WorkerRole): string {
  return role === 'orders' ? ordersQueue : `${ordersQueue}-${role}`;
}

/** Parses a comma-separated list of roles, such as the WORKER_ROLES setting; empty means all of them. */
export function parseWorkerRoles(raw: string): WorkerRole[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return [...WORKER_ROLES];
  const unknown = names.filter((name) => !(WORKER_ROLES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `WORKER_ROLES: unknown role ${unknown.join(', ')}; the roles are ${WORKER_ROLES.join(', ')}`,
    );
  }
  return [...new Set(names as WorkerRole[])];
}
