/** Draws the saga graph: the steps left to right, and under each undoable step its compensation edge. */
import { $, el } from './dom';
import { COMPENSATIONS, NODE_LABELS, type OrderLike, sagaGraph } from './saga-graph';

const UNDO_MARK = { idle: '', running: '…', done: '', escalated: ' · escalated' };

export function renderSaga(order: OrderLike): void {
  const graph = sagaGraph(order);
  $('#saga').replaceChildren(
    ...graph.nodes.map(({ node, state, undo }) => {
      const step = el(
        'li',
        { className: `step ${state}`, data: { node, state } },
        el('span', { className: 'node', text: NODE_LABELS[node] }),
      );
      if (node === graph.current) step.setAttribute('aria-current', 'step');
      const compensation = COMPENSATIONS[node];
      if (compensation && undo) {
        const ran = graph.undoPath.indexOf(node);
        step.append(
          el('span', {
            className: `edge ${undo}`,
            text: `${ran >= 0 ? `${ran + 1}. ` : ''}↩ ${compensation.label}${UNDO_MARK[undo]}`,
            data: { undo },
          }),
        );
      }
      return step;
    }),
  );
  const path = graph.undoPath.map((node) => COMPENSATIONS[node]?.label).join(' → ');
  $('#undo').textContent =
    graph.undoPath.length === 0
      ? ''
      : `${order.status === 'COMPENSATING' ? 'Compensating' : 'Compensated'}, last step first: ${path}`;
}
