import type { WorkerRole } from '../common/task-queues';
import type { OrderActivities } from './activities/contract';

/**
 * Which worker role runs each activity when the workflow schedules it as a regular activity, on that role's task
 * queue. The forward stock work (price, reserve, sell) is local for orders begun since 'local-stock-work'
 * (workflows/order.ts): the inventory queue serves its undos, a return's restock and the orders begun before it.
 */
export const ACTIVITY_ROLES: Record<keyof OrderActivities, WorkerRole> = {
  priceOrder: 'inventory',
  reserveStock: 'inventory',
  releaseStock: 'inventory',
  commitSale: 'inventory',
  confirmSale: 'inventory',
  restockReturn: 'inventory',
  chargePayment: 'payments',
  refundPayment: 'payments',
  createShipment: 'shipping',
  cancelShipments: 'shipping',
  createReturnShipment: 'shipping',
  recordOrderSnapshot: 'orders',
  recordOrderSummary: 'orders',
  sendNotification: 'orders',
};
