/** The demo page: products, an order form, recent orders, and one order followed live. */
import type { OrderViewFragment } from '../generated/graphql';
import { type ConnectionState, onConnectionChange, request, subscribe, useToken } from './client';
import { $, el, errorText, money, say } from './dom';
import { ORDER, ORDER_STATUS, PLACE_ORDER, RECENT_ORDERS } from './operations';
import { type Action, actionsFor, type Payload } from './order-actions';
import { renderOrder } from './order-view';
import { chosenItems, loadProducts, pollStock } from './products';
import { ROLE_NOTES, type Role, type Session, savedSession, signIn } from './session';

type Order = OrderViewFragment;

let current: Order | null = null;
let session: Session | null = null;
let stopFollowing: () => void = () => undefined;

/** Shows a snapshot unless it is older than the one on screen (events and mutation answers can cross). */
function show(order: Order): void {
  if (current?.id === order.id && order.version < current.version) return;
  const statusMoved = current?.id !== order.id || current.status !== order.status;
  current = order;
  renderOrder(order);
  if (statusMoved) {
    clearNews();
    renderActions(order);
    void loadRecent();
  }
  void loadProducts();
}

/** An action's success note is news only until the order moves on; errors stay until the next action. */
function clearNews(): void {
  if (!$('#order-message').classList.contains('error')) say('#order-message', '');
}

function renderActions(order: Order): void {
  $('#actions').replaceChildren(
    ...actionsFor(order, session?.role ?? 'customer').map((action) => {
      const button = el('button', { className: action.tone ?? '', text: action.label });
      button.type = 'button';
      button.addEventListener('click', () => void perform(action));
      return button;
    }),
  );
}

async function perform(action: Action): Promise<void> {
  const buttons = [...$('#actions').querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  say('#order-message', `${action.label}…`);
  try {
    const payload: Payload = await action.run();
    if (payload.order) show(payload.order);
    if (payload.userErrors.length) say('#order-message', describeErrors(payload), 'error');
    else say('#order-message', action.done);
  } catch (error) {
    say('#order-message', `Could not reach the server: ${errorText(error)}`, 'error');
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

const describeErrors = ({ userErrors }: Payload) =>
  userErrors
    .map((e) => `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message} (${e.code})`)
    .join('; ');

/** Follows the order live; after a reconnect it asks only for what came after the last version shown. */
function follow(orderId: string): void {
  stopFollowing();
  stopFollowing = subscribe(
    ORDER_STATUS,
    { id: orderId, sinceVersion: current?.id === orderId ? current.version : null },
    {
      // A late event of the order followed before may still arrive: it must not take over the view.
      next: ({ orderStatus }) => {
        if (orderStatus.order.id === current?.id) show(orderStatus.order);
      },
      error: (error) => say('#order-message', `Live updates stopped: ${error.message}`, 'error'),
      complete: () => undefined,
    },
    ({ orderStatus }, variables) => ({
      ...variables,
      sinceVersion: Math.max(orderStatus.version, current?.version ?? 0),
    }),
  );
}

async function open(orderId: string): Promise<void> {
  try {
    const { order } = await request(ORDER, { id: orderId });
    if (!order) return say('#order-message', `There is no order ${orderId}.`, 'error');
    say('#order-message', '');
    history.replaceState(null, '', `?order=${encodeURIComponent(orderId)}`);
    show(order);
    follow(orderId);
  } catch (error) {
    say('#order-message', `Could not load order ${orderId}: ${errorText(error)}`, 'error');
  }
}

async function loadRecent(): Promise<void> {
  if (!session) return;
  const { orders } = await request(RECENT_ORDERS, {});
  $('#recent').replaceChildren(
    ...orders.nodes.map((order) => {
      const button = el(
        'button',
        { className: 'recent' },
        el('span', { className: 'recent-id', text: order.id }),
        el('span', { className: 'status small', text: order.status, data: { status: order.status } }),
        el('span', { className: 'recent-meta', text: `${order.customerId} · ${money(order.totalCents)}` }),
      );
      button.type = 'button';
      if (order.id === current?.id) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => void open(order.id));
      return el('li', {}, button);
    }),
  );
}

async function placeOrder(form: HTMLFormElement): Promise<void> {
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? '').trim();
  const items = chosenItems();
  if (items.length === 0) return say('#form-message', 'Choose a quantity for at least one product.', 'error');
  const button = $<HTMLButtonElement>('#place');
  button.disabled = true;
  say('#form-message', 'Placing the order…');
  try {
    const { placeOrder } = await request(PLACE_ORDER, {
      input: {
        customerId: session?.role === 'customer' ? null : text('customerId'),
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
    if (placeOrder.userErrors.length) say('#form-message', describeErrors(placeOrder), 'error');
    else say('#form-message', 'Order placed: follow it on the right.');
    if (placeOrder.order) await open(placeOrder.order.id);
  } catch (error) {
    say('#form-message', `Could not place the order: ${errorText(error)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};
onConnectionChange((state) => {
  const badge = $('#connection');
  badge.textContent = CONNECTION_TEXT[state];
  badge.dataset.state = state;
});

/** From now on the page acts as `next`: requests, the live socket, the actions offered, the orders listed. */
function actAs(next: Session): void {
  session = next;
  useToken(next.token);
  $('#session').textContent = `signed in as ${next.role} ${next.sub}: ${ROLE_NOTES[next.role]}`;
  $('#customer-field').hidden = next.role === 'customer';
  $<HTMLSelectElement>('#sign-in select').value = next.role;
  $<HTMLInputElement>('#sign-in input').value = next.sub;
  if (current) renderActions(current);
  void loadRecent();
}

async function signInAs(role: Role, sub: string): Promise<void> {
  try {
    actAs(await signIn(role, sub));
  } catch (error) {
    $('#session').textContent = `Could not sign in: ${errorText(error)}`;
  }
}

$('#sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const fields = new FormData(event.target as HTMLFormElement);
  void signInAs(fields.get('role') as Role, String(fields.get('sub') ?? '').trim());
});

$('#order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void placeOrder(event.target as HTMLFormElement);
});

const shown = new URLSearchParams(location.search).get('order');
const saved = savedSession();
// A first visit signs in as the customer ada, so the page works at once; the box above switches role.
const signedIn = saved ? Promise.resolve(actAs(saved)) : signInAs('customer', 'ada');
Promise.all([loadProducts(), signedIn]).then(
  () => (shown ? open(shown) : undefined),
  (error: unknown) => say('#form-message', `Could not reach the API: ${errorText(error)}`, 'error'),
);
pollStock(5_000);
