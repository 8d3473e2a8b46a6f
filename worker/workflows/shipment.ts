import type { CreatedShipment, ShipmentRequest } from '../activities/contract';
import { proxyRoutedActivities, STEP_ACTIVITY_OPTIONS } from './routed-activities';

const activities = proxyRoutedActivities(STEP_ACTIVITY_OPTIONS);

/** One warehouse's part of an order, run as a child workflow with the id `<orderId>:shipment:<warehouse>`. */
export async function shipmentWorkflow(request: ShipmentRequest): Promise<CreatedShipment> {
  return activities.createShipment(request);
}
