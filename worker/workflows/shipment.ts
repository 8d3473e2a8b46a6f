import type { CreatedShipment, ShipmentRequest } from '../activities/contract';
import { proxyRoutedActivities } from './routed-activities';

const activities = proxyRoutedActivities({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
});

/** One warehouse's part of an order, run as a child workflow with the id `<orderId>:shipment:<warehouse>`. */
export async function shipmentWorkflow(request: ShipmentRequest): Promise<CreatedShipment> {
  return activities.createShipment(request);
}
