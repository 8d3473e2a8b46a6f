/** A product of the catalogue with its live stock. */
export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  /** Units that can still be ordered. */
  available: number;
  /** Units held for orders not yet shipped. */
  reserved: number;
  sold: number;
  discontinued: boolean;
  /** The fulfilment node that ships it. */
  warehouse: string;
}

export interface ProductInput {
  sku: string;
  name: string;
  priceCents: number;
  /** Units on the shelf, not counting what is reserved for orders. */
  stock: number;
  discontinued: boolean;
  warehouse?: string;
}
