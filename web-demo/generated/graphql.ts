/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddressInput = {
  city: string;
  country: string;
  line1: string;
  name: string;
  postalCode: string;
};

export type ApproveReturnInput = {
  approve: boolean;
  orderId: string | number;
  /** Required to reject. */
  reason?: string | null | undefined;
  /** Your id for this request: a retry with the same id is answered once. */
  requestId?: string | null | undefined;
};

export type AuditOrderInput = {
  approve: boolean;
  orderId: string | number;
  /** Required to reject. */
  reason?: string | null | undefined;
  /** Your id for this request: a retry with the same id is answered once. */
  requestId?: string | null | undefined;
};

export type CancelOrderInput = {
  orderId: string | number;
  reason?: string | null | undefined;
  /** Your id for this request: a retry with the same id is answered once. */
  requestId?: string | null | undefined;
};

export type OrderLineInput = {
  quantity: number;
  sku: string;
};

export type OrderStatus =
  | 'AWAITING_AUDIT'
  | 'AWAITING_PAYMENT'
  | 'CANCELLED'
  | 'CHARGING'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'FAILED'
  | 'REJECTED'
  | 'RESERVING'
  | 'RETURNED'
  | 'RETURNING'
  | 'RETURN_REQUESTED'
  | 'SHIPPING'
  | 'VALIDATING';

export type PayOrderInput = {
  orderId: string | number;
  /** tok_visa, tok_chargeDeclined or tok_flaky */
  paymentMethod: string;
  /** Your id for this request: a retry with the same id is answered once. */
  requestId?: string | null | undefined;
};

export type PlaceOrderInput = {
  address: AddressInput;
  /** Whose order: a customer leaves it out (their token says who they are); staff and admin name the customer they place it for. */
  customerId?: string | null | undefined;
  /** Send the order to a staff risk audit whatever its amount. */
  flagged?: boolean | null | undefined;
  items: Array<OrderLineInput>;
  /** Your id for the order: placing it again returns the same order. */
  orderId?: string | number | null | undefined;
};

export type RequestReturnInput = {
  orderId: string | number;
  reason: string;
  /** Your id for this request: a retry with the same id is answered once. */
  requestId?: string | null | undefined;
};

export type OrderViewFragment = { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> };

export type ProductsQueryVariables = Exact<{ [key: string]: never; }>;


export type ProductsQuery = { products: Array<{ sku: string, name: string, priceCents: number, available: number, reserved: number, discontinued: boolean, warehouse: string }> };

export type RecentOrdersQueryVariables = Exact<{ [key: string]: never; }>;


export type RecentOrdersQuery = { orders: { nodes: Array<{ id: string, customerId: string, status: OrderStatus, totalCents: number, updatedAt: string }> } };

export type OrderQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderQuery = { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null };

export type PlaceOrderMutationVariables = Exact<{
  input: PlaceOrderInput;
}>;


export type PlaceOrderMutation = { placeOrder: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type PayOrderMutationVariables = Exact<{
  input: PayOrderInput;
}>;


export type PayOrderMutation = { payOrder: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type AuditOrderMutationVariables = Exact<{
  input: AuditOrderInput;
}>;


export type AuditOrderMutation = { auditOrder: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type CancelOrderMutationVariables = Exact<{
  input: CancelOrderInput;
}>;


export type CancelOrderMutation = { cancelOrder: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type RequestReturnMutationVariables = Exact<{
  input: RequestReturnInput;
}>;


export type RequestReturnMutation = { requestReturn: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type ApproveReturnMutationVariables = Exact<{
  input: ApproveReturnInput;
}>;


export type ApproveReturnMutation = { approveReturn: { order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } | null, userErrors: Array<{ field: Array<string> | null, code: string, message: string }> } };

export type OrderStatusSubscriptionVariables = Exact<{
  id: string | number;
  sinceVersion?: number | null | undefined;
}>;


export type OrderStatusSubscription = { orderStatus: { version: number, order: { id: string, customerId: string, status: OrderStatus, version: number, totalCents: number, escalations: Array<string>, failure: { code: string, step: string, message: string } | null, items: Array<{ sku: string, name: string, quantity: number }>, timeline: Array<{ version: number, status: OrderStatus, step: string | null, message: string, at: string }>, payment: { status: string, method: string | null, refundedCents: number }, shipments: Array<{ id: string, trackingNumber: string, status: string }> } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const OrderViewFragmentDoc = new TypedDocumentString(`
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}
    `, {"fragmentName":"OrderView"}) as unknown as TypedDocumentString<OrderViewFragment, unknown>;
export const ProductsDocument = new TypedDocumentString(`
    query Products {
  products {
    sku
    name
    priceCents
    available
    reserved
    discontinued
    warehouse
  }
}
    `, {"hash":"sha256:33d916ccaa5f78ada4891a90791f7e883fac0ab3082ca4a0f1a691d2e4db88a9"}) as unknown as TypedDocumentString<ProductsQuery, ProductsQueryVariables>;
export const RecentOrdersDocument = new TypedDocumentString(`
    query RecentOrders {
  orders(first: 10) {
    nodes {
      id
      customerId
      status
      totalCents
      updatedAt
    }
  }
}
    `, {"hash":"sha256:caa1ac986d4390f8d6e60ff6a1ace3d4723293f3c755536482c4889916100eb1"}) as unknown as TypedDocumentString<RecentOrdersQuery, RecentOrdersQueryVariables>;
export const OrderDocument = new TypedDocumentString(`
    query Order($id: ID!) {
  order(id: $id) {
    ...OrderView
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:87551e28d93350bb5c4e1862d43bc4c19f21cb5fefc894b4dbbb986ce0b0db64"}) as unknown as TypedDocumentString<OrderQuery, OrderQueryVariables>;
export const PlaceOrderDocument = new TypedDocumentString(`
    mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:8213d0c439d98afe2165f5235552298e6d1d02993d07769a35f1e4074d203741"}) as unknown as TypedDocumentString<PlaceOrderMutation, PlaceOrderMutationVariables>;
export const PayOrderDocument = new TypedDocumentString(`
    mutation PayOrder($input: PayOrderInput!) {
  payOrder(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:da3b5720b310846287724d3967b3d8987e5f4d9f94025bb4371710cfa5fa99be"}) as unknown as TypedDocumentString<PayOrderMutation, PayOrderMutationVariables>;
export const AuditOrderDocument = new TypedDocumentString(`
    mutation AuditOrder($input: AuditOrderInput!) {
  auditOrder(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:57c68e747052be110dcd0817bd688c19f470197af26493aa965e3775c08c585d"}) as unknown as TypedDocumentString<AuditOrderMutation, AuditOrderMutationVariables>;
export const CancelOrderDocument = new TypedDocumentString(`
    mutation CancelOrder($input: CancelOrderInput!) {
  cancelOrder(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:77b41f7498d0c197e483d546aaa86c27803f44155c0d06ce854d1f9c76d67877"}) as unknown as TypedDocumentString<CancelOrderMutation, CancelOrderMutationVariables>;
export const RequestReturnDocument = new TypedDocumentString(`
    mutation RequestReturn($input: RequestReturnInput!) {
  requestReturn(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:c891e96f37296de6c18f34191883ba5d2ecfd2b5cd615365a2751295508c2d30"}) as unknown as TypedDocumentString<RequestReturnMutation, RequestReturnMutationVariables>;
export const ApproveReturnDocument = new TypedDocumentString(`
    mutation ApproveReturn($input: ApproveReturnInput!) {
  approveReturn(input: $input) {
    order {
      ...OrderView
    }
    userErrors {
      field
      code
      message
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:f66ba2965990343c335430eaf3d7e8af2450b79546dc69c3911781fadb1d5269"}) as unknown as TypedDocumentString<ApproveReturnMutation, ApproveReturnMutationVariables>;
export const OrderStatusDocument = new TypedDocumentString(`
    subscription OrderStatus($id: ID!, $sinceVersion: Int) {
  orderStatus(id: $id, sinceVersion: $sinceVersion) {
    version
    order {
      ...OrderView
    }
  }
}
    fragment OrderView on Order {
  id
  customerId
  status
  version
  totalCents
  failure {
    code
    step
    message
  }
  items {
    sku
    name
    quantity
  }
  timeline {
    version
    status
    step
    message
    at
  }
  payment {
    status
    method
    refundedCents
  }
  shipments {
    id
    trackingNumber
    status
  }
  escalations
}`, {"hash":"sha256:8909dc3afe9fef08c987108b4c070ef7ef0f6195f3b09f882fa22559aeb9c8c9"}) as unknown as TypedDocumentString<OrderStatusSubscription, OrderStatusSubscriptionVariables>;