/**
 * Every activity of the saga as a no-op that answers at once (the bare saga calls them without arguments, but for
 * the order's id and version to recordOrderSnapshot): it measures Temporal's own cost of an order, not any work.
 * Typed as the real activities, so the bare worker is built by the project's own createOrderWorker.
 */
import type { OrderActivities } from '../../worker/activities/contract';

const nothing = async (): Promise<void> => undefined;

/** `written` hears each version the bare saga "writes", where an API beside the real saga hears of its writes. */
export const bareActivities = (written: (orderId: string, version: number) => void): OrderActivities => ({
  priceOrder: async () => [],
  reserveStock: nothing,
  releaseStock: nothing,
  commitSale: nothing,
  confirmSale: nothing,
  restockReturn: nothing,
  chargePayment: async () => 'charge',
  refundPayment: async () => 0,
  createShipment: async () => ({
    id: 'shipment',
    warehouse: 'bare',
    trackingNumber: 'tracking',
    status: 'CREATED',
  }),
  cancelShipments: async () => 0,
  createReturnShipment: async () => 'tracking',
  recordOrderSnapshot: async ({ orderId, version }) => written(orderId, version),
  recordOrderSummary: nothing,
  sendNotification: nothing,
});
