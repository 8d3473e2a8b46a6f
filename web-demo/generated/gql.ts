/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment OrderView on Order {\n    id\n    customerId\n    status\n    version\n    totalCents\n    failure { code step message }\n    items { sku name quantity }\n    timeline { version status step message at }\n    payment { status method refundedCents }\n    shipments { id trackingNumber status }\n    escalations\n  }\n": typeof types.OrderViewFragmentDoc,
    "\n  query Products {\n    products { sku name priceCents available reserved discontinued warehouse }\n  }\n": typeof types.ProductsDocument,
    "\n  query RecentOrders {\n    orders(first: 10) { nodes { id customerId status totalCents updatedAt } }\n  }\n": typeof types.RecentOrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) { ...OrderView }\n  }\n": typeof types.OrderDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.PayOrderDocument,
    "\n  mutation AuditOrder($input: AuditOrderInput!) {\n    auditOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.AuditOrderDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.CancelOrderDocument,
    "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.RequestReturnDocument,
    "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": typeof types.ApproveReturnDocument,
    "\n  subscription OrderStatus($id: ID!, $sinceVersion: Int) {\n    orderStatus(id: $id, sinceVersion: $sinceVersion) { version order { ...OrderView } }\n  }\n": typeof types.OrderStatusDocument,
};
const documents: Documents = {
    "\n  fragment OrderView on Order {\n    id\n    customerId\n    status\n    version\n    totalCents\n    failure { code step message }\n    items { sku name quantity }\n    timeline { version status step message at }\n    payment { status method refundedCents }\n    shipments { id trackingNumber status }\n    escalations\n  }\n": types.OrderViewFragmentDoc,
    "\n  query Products {\n    products { sku name priceCents available reserved discontinued warehouse }\n  }\n": types.ProductsDocument,
    "\n  query RecentOrders {\n    orders(first: 10) { nodes { id customerId status totalCents updatedAt } }\n  }\n": types.RecentOrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) { ...OrderView }\n  }\n": types.OrderDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.PlaceOrderDocument,
    "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.PayOrderDocument,
    "\n  mutation AuditOrder($input: AuditOrderInput!) {\n    auditOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.AuditOrderDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.CancelOrderDocument,
    "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.RequestReturnDocument,
    "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n": types.ApproveReturnDocument,
    "\n  subscription OrderStatus($id: ID!, $sinceVersion: Int) {\n    orderStatus(id: $id, sinceVersion: $sinceVersion) { version order { ...OrderView } }\n  }\n": types.OrderStatusDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderView on Order {\n    id\n    customerId\n    status\n    version\n    totalCents\n    failure { code step message }\n    items { sku name quantity }\n    timeline { version status step message at }\n    payment { status method refundedCents }\n    shipments { id trackingNumber status }\n    escalations\n  }\n"): typeof import('./graphql').OrderViewFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products {\n    products { sku name priceCents available reserved discontinued warehouse }\n  }\n"): typeof import('./graphql').ProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentOrders {\n    orders(first: 10) { nodes { id customerId status totalCents updatedAt } }\n  }\n"): typeof import('./graphql').RecentOrdersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) { ...OrderView }\n  }\n"): typeof import('./graphql').OrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').PlaceOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($input: PayOrderInput!) {\n    payOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').PayOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuditOrder($input: AuditOrderInput!) {\n    auditOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').AuditOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').CancelOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').RequestReturnDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) { order { ...OrderView } userErrors { field code message } }\n  }\n"): typeof import('./graphql').ApproveReturnDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatus($id: ID!, $sinceVersion: Int) {\n    orderStatus(id: $id, sinceVersion: $sinceVersion) { version order { ...OrderView } }\n  }\n"): typeof import('./graphql').OrderStatusDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
