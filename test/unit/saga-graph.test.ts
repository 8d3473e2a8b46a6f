import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../common/order';
import { type OrderLike, type SagaGraph, sagaGraph } from '../../web-demo/src/saga-graph';

type Entry = [OrderStatus, string | null, string?];

/** Timelines as the workflow writes them (see the recorded histories), one entry per version. */
const PAID: Entry[] = [
  ['VALIDATING', 'validate'],
  ['RESERVING', 'reserve'],
  ['RESERVING', 'reserve'],
  ['AWAITING_PAYMENT', 'payment'],
  ['CHARGING', 'payment'],
];
const SHIPPED: Entry[] = [...PAID, ['CHARGING', 'payment'], ['SHIPPING', 'ship'], ['SHIPPING', 'ship']];
const COMPLETED: Entry[] = [...SHIPPED, ['COMPLETED', 'confirm']];

function order(entries: Entry[], failureStep?: string): OrderLike {
  const last = entries.at(-1);
  return {
    status: last?.[0] ?? 'VALIDATING',
    failure: failureStep ? { step: failureStep } : null,
    timeline: entries.map(([status, step, message = '']) => ({ status, step, message })),
  };
}

const states = (graph: SagaGraph) => Object.fromEntries(graph.nodes.map((n) => [n.node, n.state]));
const undos = (graph: SagaGraph) =>
  Object.fromEntries(graph.nodes.filter((n) => n.undo !== null).map((n) => [n.node, n.undo]));

describe('the saga graph of the demo page', () => {
  it('lights the step the order waits at, marks the finished ones and skips an audit that was not needed', () => {
    const graph = sagaGraph(order(PAID.slice(0, 4)));
    expect(states(graph)).toEqual({
      validate: 'done',
      audit: 'skipped',
      reserve: 'done',
      payment: 'active',
      ship: 'pending',
      confirm: 'pending',
      return: 'pending',
    });
    expect(graph.current).toBe('payment');
    expect(graph.undoPath).toEqual([]);
  });

  it('lights the audit while staff have not decided', () => {
    const graph = sagaGraph(order([PAID[0] as Entry, ['AWAITING_AUDIT', 'audit']]));
    expect(states(graph)).toMatchObject({ validate: 'done', audit: 'active', reserve: 'pending' });
  });

  it('shows a completed order with every step up to confirm done and confirm lit', () => {
    const graph = sagaGraph(order(COMPLETED));
    expect(graph.current).toBe('confirm');
    expect(states(graph)).toMatchObject({
      payment: 'done',
      ship: 'done',
      confirm: 'done',
      return: 'pending',
    });
    expect(Object.values(undos(graph))).toEqual(['idle', 'idle', 'idle', 'idle']);
  });

  it('follows a return from request to returned', () => {
    const requested = sagaGraph(order([...COMPLETED, ['RETURN_REQUESTED', 'return']]));
    expect(states(requested)).toMatchObject({ confirm: 'done', return: 'active' });
    const returned = sagaGraph(order([...COMPLETED, ['RETURNING', 'return'], ['RETURNED', 'return']]));
    expect(states(returned).return).toBe('done');
    expect(returned.current).toBe('return');
  });

  it('lights the compensations of a declined payment one by one, in reverse order, as they run', () => {
    const failing: Entry[] = [...PAID, ['COMPENSATING', 'payment', 'declined; undoing finished steps']];
    const first = sagaGraph(order(failing, 'payment'));
    expect(states(first)).toMatchObject({ reserve: 'done', payment: 'failed', ship: 'pending' });
    expect(undos(first)).toMatchObject({ reserve: 'idle', payment: 'running' });

    const second = sagaGraph(order([...failing, ['COMPENSATING', 'undo:payment']], 'payment'));
    expect(states(second)).toMatchObject({ reserve: 'compensating', payment: 'failed' });
    expect(undos(second)).toMatchObject({ reserve: 'running', payment: 'done' });
    expect(second.undoPath).toEqual(['payment', 'reserve']);

    const failed = sagaGraph(
      order(
        [
          ...failing,
          ['COMPENSATING', 'undo:payment'],
          ['COMPENSATING', 'undo:reserve'],
          ['FAILED', 'payment'],
        ],
        'payment',
      ),
    );
    expect(states(failed)).toMatchObject({ validate: 'done', reserve: 'compensated', payment: 'failed' });
    expect(undos(failed)).toEqual({ reserve: 'done', payment: 'done', ship: 'idle', confirm: 'idle' });
    expect(failed.undoPath).toEqual(['payment', 'reserve']);
    expect(failed.current).toBe('payment');
  });

  it('undoes shipping, payment and reservation after an undeliverable address', () => {
    const graph = sagaGraph(
      order(
        [
          ...SHIPPED.slice(0, 7),
          ['COMPENSATING', 'ship'],
          ['COMPENSATING', 'undo:ship'],
          ['COMPENSATING', 'undo:payment'],
          ['COMPENSATING', 'undo:reserve'],
          ['FAILED', 'ship'],
        ],
        'ship',
      ),
    );
    expect(states(graph)).toMatchObject({ reserve: 'compensated', payment: 'compensated', ship: 'failed' });
    expect(graph.undoPath).toEqual(['ship', 'payment', 'reserve']);
  });

  it('does not claim a refund runs for an order cancelled before it was charged', () => {
    const graph = sagaGraph(
      order(
        [...PAID.slice(0, 4), ['COMPENSATING', 'payment', 'cancelled; undoing finished steps']],
        'payment',
      ),
    );
    expect(undos(graph)).toMatchObject({ reserve: 'running', payment: 'idle' });
    expect(states(graph).reserve).toBe('compensating');
  });

  it('marks a compensation that failed and went to staff as escalated, its step still standing', () => {
    const graph = sagaGraph(
      order(
        [
          ...PAID.slice(0, 4),
          ['COMPENSATING', 'payment'],
          ['COMPENSATING', 'escalate', 'undo:reserve failed for order o1: db down; escalated to staff'],
          ['CANCELLED', 'payment'],
        ],
        'payment',
      ),
    );
    expect(undos(graph).reserve).toBe('escalated');
    expect(states(graph).reserve).toBe('done');
    expect(graph.undoPath).toEqual([]);
  });

  it('shows a rejected audit as the failed step with nothing to undo', () => {
    const graph = sagaGraph(
      order([PAID[0] as Entry, ['AWAITING_AUDIT', 'audit'], ['REJECTED', 'audit']], 'audit'),
    );
    expect(states(graph)).toMatchObject({ validate: 'done', audit: 'failed', reserve: 'pending' });
    expect(graph.undoPath).toEqual([]);
  });
});
