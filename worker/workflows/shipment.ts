import { proxyActivities } from '@temporalio/workflow';
import type { CreatedShipment, OrderActivities, ShipmentRequest } from '../activities/contract';

const { createShipment } = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
});

/** One warehouse's part of an order, run as a child workflow with the id `<orderId>:shipment:<warehouse>`. */
export async function shipmentWorkflow(request: ShipmentRequest): Promise<CreatedShipment> {
  return createShipment(request);
}
