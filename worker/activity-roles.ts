import type { WorkerRole } from '../common/task-queues';
import type { OrderActivities } from './activities/contract';

/** Which worker role runs each activity: the workflow schedules it on that role's task queue. */
export const ACTIVITY_ROLES: Record<keyof OrderActivities, WorkerRole> = {
  priceOrder: 'inventory',
  reserveStock: 'inventory',
  releaseStock: 'inventory',
  commitSale: 'inventory',
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
