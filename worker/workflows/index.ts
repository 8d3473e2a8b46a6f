export { orderWorkflow } from './order';
export { shipmentWorkflow } from './shipment';
