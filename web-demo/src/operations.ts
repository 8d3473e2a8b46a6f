/** Every operation the demo page sends; `npm run codegen` types them from schema/schema.graphql. */
import { graphql } from '../generated';

export const ORDER_VIEW = graphql(`
  fragment OrderView on Order {
    id
    customerId
    status
    version
    totalCents
    failure { code step message }
    items { sku name quantity }
    timeline { version status step message at }
    payment { status method refundedCents }
    shipments { id trackingNumber status }
    escalations
  }
`);

export const PRODUCTS = graphql(`
  query Products {
    products { sku name priceCents available reserved discontinued warehouse }
  }
`);

export const RECENT_ORDERS = graphql(`
  query RecentOrders {
    orders(first: 10) { nodes { id customerId status totalCents updatedAt } }
  }
`);

export const ORDER = graphql(`
  query Order($id: ID!) {
    order(id: $id) { ...OrderView }
  }
`);

export const PLACE_ORDER = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const PAY_ORDER = graphql(`
  mutation PayOrder($input: PayOrderInput!) {
    payOrder(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const AUDIT_ORDER = graphql(`
  mutation AuditOrder($input: AuditOrderInput!) {
    auditOrder(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const CANCEL_ORDER = graphql(`
  mutation CancelOrder($input: CancelOrderInput!) {
    cancelOrder(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const REQUEST_RETURN = graphql(`
  mutation RequestReturn($input: RequestReturnInput!) {
    requestReturn(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const APPROVE_RETURN = graphql(`
  mutation ApproveReturn($input: ApproveReturnInput!) {
    approveReturn(input: $input) { order { ...OrderView } userErrors { field code message } }
  }
`);

export const ORDER_STATUS = graphql(`
  subscription OrderStatus($id: ID!, $sinceVersion: Int) {
    orderStatus(id: $id, sinceVersion: $sinceVersion) { version order { ...OrderView } }
  }
`);
