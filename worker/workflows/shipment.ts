import type { CreatedShipment, ShipmentRequest } from '../activities/contract';
import { proxyRoutedActivities, STEP_ACTIVITY_OPTIONS } from './routed-activities';

/** One warehouse's part of an order, run as a child workflow with the id `<orderId>:shipment:<warehouse>`. */
export async function shipmentWorkflow(request: ShipmentRequest): Promise<CreatedShipment> {
  return proxyRoutedActivities(STEP_ACTIVITY_OPTIONS).createShipment(request);
}
