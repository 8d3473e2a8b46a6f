/** The demo page: products, an order form, and one order followed live (status, saga graph, timeline). */
import type { OrderViewFragment, ProductsQuery } from '../generated/graphql';
import { onConnectionChange, request, subscribe } from './client';
import {
  APPROVE_RETURN,
  AUDIT_ORDER,
  CANCEL_ORDER,
  ORDER,
  ORDER_STATUS,
  PAY_ORDER,
  PLACE_ORDER,
  PRODUCTS,
  RECENT_ORDERS,
  REQUEST_RETURN,
} from './operations';
import { COMPENSABLE, sagaGraph } from './saga-graph';

type Order = OrderViewFragment;
type Payload = {
  order: Order | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
};

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const money = (cents: number) => `€${(cents / 100).toFixed(2)}`;
const time = (iso: string) => new Date(iso).toLocaleTimeString();

let current: Order | null = null;
let stopFollowing: () => void = () => undefined;

function say(text: string, kind: 'info' | 'error' = 'info'): void {
  const message = $('#message');
  message.textContent = text;
  message.className = `message ${kind}`;
}

function setConnection(text: string, live: boolean): void {
  const badge = $('#connection');
  badge.textContent = text;
  badge.classList.toggle('live', live);
}

async function loadProducts(): Promise<void> {
  const { products } = await request(PRODUCTS, {});
  const body = $('#products tbody');
  const quantities = new Map(
    [...body.querySelectorAll<HTMLInputElement>('input')].map((input) => [input.name, input.value]),
  );
  body.replaceChildren(...products.map((product) => productRow(product, quantities.get(product.sku) ?? '0')));
}

function productRow(product: ProductsQuery['products'][number], quantity: string): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.innerHTML = `<td><strong></strong><small></small></td><td>${money(product.priceCents)}</td>
    <td class="num">${product.available}</td><td class="num">${product.reserved}</td>
    <td><input type="number" min="0" max="99" aria-label="quantity"></td>`;
  (row.querySelector('strong') as HTMLElement).textContent = product.name;
  (row.querySelector('small') as HTMLElement).textContent =
    ` ${product.sku} · ${product.warehouse}${product.discontinued ? ' · discontinued' : ''}`;
  const input = row.querySelector('input') as HTMLInputElement;
  input.name = product.sku;
  input.value = quantity;
  if (product.discontinued) row.classList.add('discontinued');
  return row;
}

async function loadRecent(): Promise<void> {
  const { orders } = await request(RECENT_ORDERS, {});
  $('#recent').replaceChildren(
    ...orders.nodes.map((order) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link';
      button.textContent = `${order.id} · ${order.status} · ${money(order.totalCents)}`;
      button.addEventListener('click', () => void open(order.id));
      item.append(button);
      return item;
    }),
  );
}

function render(order: Order): void {
  current = order;
  $('#order').hidden = false;
  $('#order-id').textContent = order.id;
  const status = $('#status');
  status.textContent = order.status;
  status.dataset.status = order.status;
  $('#summary').textContent =
    `v${order.version} · ${money(order.totalCents)} · payment ${order.payment.status.toLowerCase()}${
      order.shipments.length ? ` · tracking ${order.shipments.map((s) => s.trackingNumber).join(', ')}` : ''
    }${order.failureReason ? ` · ${order.failureReason}` : ''}`;

  const graph = sagaGraph(order);
  $('#saga').replaceChildren(
    ...graph.nodes.map(({ node, state }) => {
      const item = document.createElement('li');
      item.className = `node ${state}${COMPENSABLE.includes(node) ? ' compensable' : ''}`;
      item.dataset.node = node;
      item.dataset.state = state;
      item.textContent = node;
      return item;
    }),
  );
  $('#undo').textContent = graph.undone.length
    ? `Compensation${graph.compensating ? ' running' : ''}: ${graph.undone.map((node) => `undo ${node}`).join(' → ')}`
    : '';

  $('#timeline').replaceChildren(
    ...[...order.timeline].reverse().map((entry) => {
      const item = document.createElement('li');
      item.innerHTML = '<span class="v"></span><time></time><b></b><span class="text"></span>';
      (item.querySelector('.v') as HTMLElement).textContent = `v${entry.version}`;
      (item.querySelector('time') as HTMLElement).textContent = time(entry.at);
      (item.querySelector('b') as HTMLElement).textContent = entry.status;
      (item.querySelector('.text') as HTMLElement).textContent = `${entry.step ?? ''} — ${entry.message}`;
      if (entry.step?.startsWith('undo:')) item.classList.add('undo');
      return item;
    }),
  );
  renderActions(order);
}

function actionButton(label: string, run: () => Promise<Payload>, tone = ''): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  if (tone) button.className = tone;
  button.addEventListener('click', () => void perform(run));
  return button;
}

function renderActions(order: Order): void {
  const orderId = order.id;
  const buttons: HTMLButtonElement[] = [];
  const pay = (paymentMethod: string) => async () =>
    (await request(PAY_ORDER, { input: { orderId, paymentMethod } })).payOrder;
  const cancel = async () =>
    (await request(CANCEL_ORDER, { input: { orderId, reason: 'cancelled on the demo page' } })).cancelOrder;
  if (order.status === 'AWAITING_PAYMENT') {
    buttons.push(
      actionButton('Pay (tok_visa)', pay('tok_visa'), 'primary'),
      actionButton('Pay with a declined card', pay('tok_chargeDeclined')),
      actionButton('Pay with a flaky card', pay('tok_flaky')),
      actionButton('Cancel', cancel, 'danger'),
    );
  }
  if (order.status === 'AWAITING_AUDIT') {
    const audit = (approve: boolean) => async () =>
      (
        await request(AUDIT_ORDER, {
          input: { orderId, approve, reason: approve ? null : 'rejected by staff on the demo page' },
        })
      ).auditOrder;
    buttons.push(
      actionButton('Staff: approve audit', audit(true), 'primary'),
      actionButton('Staff: reject audit', audit(false), 'danger'),
      actionButton('Cancel', cancel, 'danger'),
    );
  }
  if (order.status === 'COMPLETED' && order.step !== 'return') {
    buttons.push(
      actionButton(
        'Request a return',
        async () =>
          (await request(REQUEST_RETURN, { input: { orderId, reason: 'requested on the demo page' } }))
            .requestReturn,
      ),
    );
  }
  if (order.status === 'RETURN_REQUESTED') {
    const decide = (approve: boolean) => async () =>
      (
        await request(APPROVE_RETURN, {
          input: { orderId, approve, reason: approve ? null : 'rejected by staff' },
        })
      ).approveReturn;
    buttons.push(
      actionButton('Staff: approve return', decide(true), 'primary'),
      actionButton('Staff: reject return', decide(false), 'danger'),
    );
  }
  $('#actions').replaceChildren(...buttons);
}

async function perform(run: () => Promise<Payload>): Promise<void> {
  for (const button of document.querySelectorAll<HTMLButtonElement>('#actions button'))
    button.disabled = true;
  try {
    const payload = await run();
    if (payload.userErrors.length)
      say(payload.userErrors.map((e) => `${e.message} (${e.code})`).join('; '), 'error');
    else say('Done.');
    if (payload.order && payload.order.version >= (current?.version ?? 0)) render(payload.order);
  } catch (error) {
    say(`Could not reach the server: ${(error as Error).message}`, 'error');
    if (current) renderActions(current);
  }
  void loadProducts();
}

/** Follows the order live; the client resubscribes after a lost connection and old versions are dropped. */
function follow(orderId: string): void {
  stopFollowing();
  stopFollowing = subscribe(
    ORDER_STATUS,
    { id: orderId, sinceVersion: current?.id === orderId ? current.version : null },
    {
      next: ({ orderStatus }) => {
        const statusMoved = orderStatus.status !== current?.status;
        if (orderStatus.order.version > (current?.version ?? -1) || current?.id !== orderId)
          render(orderStatus.order);
        void loadProducts();
        if (statusMoved) void loadRecent();
      },
      error: (error) => say(`Live updates stopped: ${error.message}`, 'error'),
      complete: () => {
        setConnection('order closed', true);
        void loadRecent();
      },
    },
  );
}

async function open(orderId: string): Promise<void> {
  try {
    const { order } = await request(ORDER, { id: orderId });
    if (!order) return say(`Order ${orderId} does not exist.`, 'error');
    say('');
    render(order);
    follow(orderId);
  } catch (error) {
    say(`Could not load order ${orderId}: ${(error as Error).message}`, 'error');
  }
}

async function placeOrder(form: HTMLFormElement): Promise<void> {
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? '');
  const items = [...document.querySelectorAll<HTMLInputElement>('#products input')]
    .map((input) => ({ sku: input.name, quantity: Number(input.value) }))
    .filter((item) => item.quantity > 0);
  if (items.length === 0) return say('Choose a quantity for at least one product.', 'error');
  $('#place').setAttribute('disabled', '');
  say('Placing the order…');
  try {
    const { placeOrder } = await request(PLACE_ORDER, {
      input: {
        customerId: text('customerId'),
        items,
        flagged: fields.get('flagged') === 'on',
        address: {
          name: text('name'),
          line1: text('line1'),
          city: text('city'),
          postalCode: text('postalCode'),
          country: text('country'),
        },
      },
    });
    if (placeOrder.userErrors.length) {
      say(
        placeOrder.userErrors.map((e) => `${e.field?.join('.') ?? ''} ${e.message} (${e.code})`).join('; '),
        'error',
      );
    } else {
      say('Order placed.');
    }
    if (placeOrder.order) {
      current = null;
      render(placeOrder.order);
      follow(placeOrder.order.id);
    }
    await Promise.all([loadProducts(), loadRecent()]);
  } catch (error) {
    say(`Could not place the order: ${(error as Error).message}`, 'error');
  } finally {
    $('#place').removeAttribute('disabled');
  }
}

onConnectionChange((connected) => setConnection(connected ? 'live' : 'reconnecting…', connected));

$('#order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void placeOrder(event.target as HTMLFormElement);
});

const shown = new URLSearchParams(location.search).get('order');
void Promise.all([loadProducts(), loadRecent()]).then(
  () => {
    setConnection('ready', true);
    if (shown) void open(shown);
  },
  (error: Error) => say(`Could not reach the API: ${error.message}`, 'error'),
);
