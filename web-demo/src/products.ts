/** The product table: live stock, and the quantity inputs the order form reads. */
import type { ProductsQuery } from '../generated/graphql';
import { request } from './client';
import { $, el, money } from './dom';
import { PRODUCTS } from './operations';

type Product = ProductsQuery['products'][number];

const quantityInputs = () => [...$('#products tbody').querySelectorAll<HTMLInputElement>('input')];

export async function loadProducts(): Promise<void> {
  const { products } = await request(PRODUCTS, {});
  const typed = new Map(quantityInputs().map((input) => [input.name, input.value]));
  $('#products tbody').replaceChildren(
    ...products.map((product) => productRow(product, typed.get(product.sku))),
  );
}

function productRow(product: Product, quantity = '0'): HTMLTableRowElement {
  const detail = `${product.sku} · ${product.warehouse}${product.discontinued ? ' · discontinued' : ''}`;
  const input = el('input');
  Object.assign(input, { type: 'number', min: '0', max: '99', name: product.sku, value: quantity });
  input.setAttribute('aria-label', `quantity of ${product.name}`);
  const row = el(
    'tr',
    { data: { sku: product.sku } },
    el('td', {}, el('strong', { text: product.name }), el('small', { text: detail })),
    el('td', { className: 'num', text: money(product.priceCents) }),
    el(
      'td',
      { className: 'num stock' },
      el('span', { className: 'available', text: `${product.available} available` }),
      el('small', { className: 'reserved', text: `${product.reserved} reserved` }),
    ),
    el('td', {}, input),
  );
  row.classList.toggle('discontinued', product.discontinued);
  return row;
}

/** The lines of the order being composed: every product with a positive quantity. */
export function chosenItems(): { sku: string; quantity: number }[] {
  return quantityInputs()
    .map((input) => ({ sku: input.name, quantity: Number(input.value) }))
    .filter((item) => item.quantity > 0);
}

/**
 * Other people's orders move stock too: refresh now and then while the page is in view. A failed poll is
 * left to the next one; the connection badge already says when the server is away.
 */
export function pollStock(everyMs: number): void {
  setInterval(() => {
    if (document.visibilityState === 'visible') void loadProducts().catch(() => undefined);
  }, everyMs);
}
