import { describe, expect, it } from 'vitest';
import { type OrderLike, sagaGraph } from '../../web-demo/src/saga-graph';

function order(status: string, steps: (string | null)[], failureStep?: string): OrderLike {
  return {
    status,
    step: steps.at(-1) ?? null,
    failure: failureStep ? { step: failureStep } : null,
    timeline: steps.map((step, index) => ({ version: index + 1, status, step })),
  };
}

const stateOf = (graph: ReturnType<typeof sagaGraph>) =>
  Object.fromEntries(graph.nodes.map((n) => [n.node, n.state]));

describe('the saga graph of the demo page', () => {
  it('lights the current step, marks the finished ones and skips an audit that was not needed', () => {
    const graph = sagaGraph(order('AWAITING_PAYMENT', ['validate', 'reserve', 'reserve', 'payment']));
    expect(stateOf(graph)).toEqual({
      validate: 'done',
      audit: 'skipped',
      reserve: 'done',
      payment: 'active',
      ship: 'pending',
      confirm: 'pending',
      return: 'pending',
    });
  });

  it('shows a completed order with its last step done', () => {
    const graph = sagaGraph(order('COMPLETED', ['validate', 'reserve', 'payment', 'ship', 'confirm']));
    expect(stateOf(graph).confirm).toBe('active');
    const closed = sagaGraph(
      order('COMPLETED', ['validate', 'reserve', 'payment', 'ship', 'confirm', 'return']),
    );
    expect(stateOf(closed).confirm).toBe('done');
    expect(stateOf(closed).return).toBe('done');
  });

  it('marks the failed step and lights the compensations in the reverse order they ran', () => {
    const steps = [
      'validate',
      'reserve',
      'payment',
      'ship',
      'ship',
      'undo:ship',
      'undo:payment',
      'undo:reserve',
      'ship',
    ];
    const graph = sagaGraph(order('FAILED', steps, 'ship'));
    expect(stateOf(graph)).toMatchObject({ ship: 'failed', payment: 'compensated', reserve: 'compensated' });
    expect(graph.undone).toEqual(['ship', 'payment', 'reserve']);
  });

  it('says when compensation is still running', () => {
    const graph = sagaGraph(
      order('COMPENSATING', ['validate', 'reserve', 'payment', 'payment', 'undo:payment'], 'payment'),
    );
    expect(graph.compensating).toBe(true);
    expect(stateOf(graph).payment).toBe('failed');
    expect(graph.undone).toEqual(['payment']);
  });
});
