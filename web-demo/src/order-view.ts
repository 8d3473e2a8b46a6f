/** The followed order: its status, facts, saga graph and timeline, redrawn from one snapshot. */
import type { OrderViewFragment } from '../generated/graphql';
import { $, clock, el, money } from './dom';
import { renderSaga } from './saga-view';

type Order = OrderViewFragment;

export function renderOrder(order: Order): void {
  $('#order').hidden = false;
  $('#order-hint').hidden = true;
  $('#order-id').textContent = order.id;
  const status = $('#status');
  status.textContent = order.status;
  status.dataset.status = order.status;
  $('#version').textContent = `version ${order.version}`;
  $('#facts').replaceChildren(
    ...facts(order).map(([term, value, wide]) =>
      el('div', { className: wide ? 'wide' : '' }, el('dt', { text: term }), el('dd', { text: value })),
    ),
  );
  const escalations = $('#escalations');
  escalations.hidden = order.escalations.length === 0;
  escalations.textContent = order.escalations.length ? `Needs staff: ${order.escalations.join('; ')}` : '';
  renderSaga(order);
  $('#timeline').replaceChildren(...[...order.timeline].reverse().map(timelineEntry));
}

/** [term, value, spans the whole row] */
type Fact = [string, string, boolean?];

function facts(order: Order): Fact[] {
  const { payment, shipments } = order;
  const refunded = payment.refundedCents ? `, ${money(payment.refundedCents)} refunded` : '';
  const rows: Fact[] = [
    ['Items', order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ') || '—'],
    ['Total', money(order.totalCents)],
    ['Payment', `${payment.status.toLowerCase()}${payment.method ? ` (${payment.method})` : ''}${refunded}`],
  ];
  if (shipments.length) {
    const tracking = shipments.map((s) => `${s.trackingNumber} (${s.status.toLowerCase()})`).join(', ');
    rows.push(['Tracking', tracking, true]);
  }
  if (order.failure) rows.push(['Why it stopped', `${order.failure.code}: ${order.failure.message}`, true]);
  return rows;
}

function timelineEntry(entry: Order['timeline'][number]): HTMLLIElement {
  const kind = entry.step?.startsWith('undo:') ? 'undo' : entry.step === 'escalate' ? 'escalate' : 'forward';
  return el(
    'li',
    { className: kind },
    el('span', { className: 'v', text: `v${entry.version}` }),
    Object.assign(el('time', { text: clock(entry.at) }), { dateTime: entry.at }),
    el('span', { className: 'entry-status', text: entry.status }),
    el('span', { className: 'entry-step', text: entry.step?.replace(':', ' ') ?? '' }),
    el('span', { className: 'text', text: entry.message }),
  );
}
