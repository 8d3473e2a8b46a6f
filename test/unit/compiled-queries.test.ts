import { type ExecutionArgs, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema';
import { compilationPolicy } from '../../server/compiled-queries';

const argsOf = (text: string): ExecutionArgs => ({ schema, document: parse(text) });

describe('which executions run compiled', () => {
  it('compiles a query from the second run of its document on, each document counted on its own', () => {
    const compiled = compilationPolicy();
    const page = argsOf('{ orders(first: 50) { edges { node { id status } } } }');
    const products = argsOf('{ products { sku } }');
    expect([compiled(page), compiled(page), compiled(page)]).toEqual([false, true, true]);
    expect(compiled(products)).toBe(false);
    // The same text parsed again is another document: the parse cache is what makes repeats the same one.
    expect(compiled(argsOf('{ products { sku } }'))).toBe(false);
    expect(compiled(products)).toBe(true);
  });

  it('never compiles mutations or subscriptions, nor a document that names no operation of its own', () => {
    const compiled = compilationPolicy();
    const mutation = argsOf('mutation { cancelOrder(input: { orderId: "o" }) { userErrors { code } } }');
    const subscription = argsOf('subscription { orderStatus(id: "o") { version } }');
    const ambiguous = argsOf('query A { products { sku } } query B { products { name } }');
    for (let run = 0; run < 3; run += 1) {
      expect([compiled(mutation), compiled(subscription), compiled(ambiguous)]).toEqual([
        false,
        false,
        false,
      ]);
    }
  });
});
