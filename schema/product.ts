/** Products: the catalogue with live stock, and the staff mutation that creates or edits one. */

import { catalogueEditAccess } from '../common/access';
import { InputError, inputErrors, type UserError } from '../common/outcomes';
import type { Product } from '../common/product';
import { refusalOf } from './access';
import { builder } from './builder';
import { UserErrorRef } from './user-error';

const ProductRef = builder.objectRef<Product>('Product').implement({
  fields: (t) => ({
    sku: t.exposeString('sku'),
    name: t.exposeString('name'),
    priceCents: t.exposeInt('priceCents'),
    available: t.exposeInt('available', { description: 'Units that can still be ordered.' }),
    reserved: t.exposeInt('reserved', { description: 'Units held for orders not yet shipped.' }),
    sold: t.exposeInt('sold'),
    discontinued: t.exposeBoolean('discontinued'),
    warehouse: t.exposeString('warehouse', { description: 'The fulfilment node that ships it.' }),
  }),
});

interface ProductOutcome {
  product: Product | null;
  userErrors: UserError[];
}

const ProductPayloadRef = builder.objectRef<ProductOutcome>('ProductPayload').implement({
  fields: (t) => ({
    product: t.field({ type: ProductRef, nullable: true, resolve: (payload) => payload.product }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
  }),
});

const UpsertProductInput = builder.inputType('UpsertProductInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    name: t.string({ required: true }),
    priceCents: t.int({ required: true }),
    stock: t.int({
      required: true,
      description: 'Units available to order (reserved units are kept apart).',
    }),
    discontinued: t.boolean({ required: true }),
    warehouse: t.string({
      description: 'Defaults to eu-west for a new product; unchanged for an existing one.',
    }),
  }),
});

builder.queryFields((t) => ({
  products: t.field({ type: [ProductRef], resolve: (_root, _args, ctx) => ctx.catalog.list() }),
}));

builder.mutationFields((t) => ({
  upsertProduct: t.field({
    type: ProductPayloadRef,
    args: { input: t.arg({ type: UpsertProductInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const verdict = catalogueEditAccess(ctx.caller);
      if (verdict !== 'ALLOWED')
        return { product: null, userErrors: [refusalOf(verdict, 'edit the catalogue')] };
      try {
        const product = await ctx.catalog.upsert({ ...input, warehouse: input.warehouse ?? undefined });
        return { product, userErrors: [] };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return { product: null, userErrors: inputErrors([{ field: [error.field], message: error.message }]) };
      }
    },
  }),
}));
