/**
 * placeOrder checks its input before it starts anything: bad values are user errors naming the field,
 * values of the wrong type are GraphQL validation errors naming it, and in both cases no workflow starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchemaHarness, schemaHarness } from '../support/schema-harness';

let harness: SchemaHarness;
beforeAll(async () => {
  harness = await schemaHarness();
});
afterAll(() => harness?.close());

const PLACE = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } userErrors { field code message } }
}`;
const ADDRESS = { name: 'Ada', line1: '1 St', city: 'London', postalCode: 'N1', country: 'GB' };

function place(input: Record<string, unknown>) {
  return harness.execute(PLACE, {
    input: { customerId: 'c1', items: [{ sku: 'MUG', quantity: 1 }], address: ADDRESS, ...input },
  });
}

describe('placeOrder input', () => {
  it('an order id with a colon, which could take a shipment workflow id, is refused naming orderId', async () => {
    const result = await place({ orderId: 'order-7:shipment:eu-west' });
    expect(result.data?.placeOrder).toEqual({
      order: null,
      userErrors: [{ field: ['input', 'orderId'], code: 'INVALID_INPUT', message: expect.any(String) }],
    });
    expect(harness.calls).toEqual([]);
  });

  it('every bad value is reported at once, each naming its field, and nothing starts', async () => {
    const result = await place({
      customerId: ' ',
      items: [
        { sku: 'MUG', quantity: 0 },
        { sku: '', quantity: 1 },
      ],
      address: { ...ADDRESS, postalCode: '' },
    });
    const payload = result.data?.placeOrder as { userErrors: { field: string[] }[] } | undefined;
    const fields = payload?.userErrors.map((error) => error.field.join('.'));
    expect(fields?.sort()).toEqual(
      ['input.address.postalCode', 'input.customerId', 'input.items.0.quantity', 'input.items.1.sku'].sort(),
    );
    expect(harness.calls).toEqual([]);
  });

  it('a value of the wrong type is a validation error naming the field, before any resolver runs', async () => {
    const result = await place({ items: [{ sku: 'MUG', quantity: 'two' }] });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/items.*quantity|quantity/);
    expect(harness.calls).toEqual([]);
  });
});
