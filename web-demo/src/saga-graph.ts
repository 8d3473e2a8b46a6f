/** The saga graph's state, read off an order's timeline: which step is lit, done, failed or undone. */

export const SAGA_NODES = ['validate', 'audit', 'reserve', 'payment', 'ship', 'confirm', 'return'] as const;
export type SagaNode = (typeof SAGA_NODES)[number];

/** Steps whose effect has an undo, drawn as a compensation edge back to the previous step. */
export const COMPENSABLE: readonly SagaNode[] = ['reserve', 'payment', 'ship', 'confirm'];

export type NodeState = 'pending' | 'active' | 'done' | 'skipped' | 'failed' | 'compensated';

export interface TimelineLike {
  version: number;
  status: string;
  step: string | null;
}

export interface OrderLike {
  status: string;
  step: string | null;
  failure: { step: string } | null;
  timeline: TimelineLike[];
}

export interface SagaGraph {
  nodes: { node: SagaNode; state: NodeState }[];
  /** Compensation edges lit so far, newest last (they run in reverse step order). */
  undone: SagaNode[];
  compensating: boolean;
}

const TERMINAL = ['CANCELLED', 'REJECTED', 'FAILED', 'RETURNED'];

export function sagaGraph(order: OrderLike): SagaGraph {
  const reached = new Set(
    order.timeline.map((entry) => entry.step).filter((step): step is string => step !== null),
  );
  const undone = order.timeline
    .map((entry) => entry.step ?? '')
    .filter((step) => step.startsWith('undo:'))
    .map((step) => step.slice('undo:'.length) as SagaNode);
  const finished =
    TERMINAL.includes(order.status) || (order.status === 'COMPLETED' && order.step === 'return');
  const lastReached = Math.max(-1, ...SAGA_NODES.map((node, index) => (reached.has(node) ? index : -1)));
  const failedStep = order.status === 'COMPLETED' || order.status === 'RETURNED' ? null : order.failure?.step;

  const nodes = SAGA_NODES.map((node, index) => {
    let state: NodeState = 'pending';
    if (failedStep === node) state = 'failed';
    else if (undone.includes(node)) state = 'compensated';
    else if (reached.has(node)) state = order.step === node && !finished ? 'active' : 'done';
    else if (index < lastReached) state = 'skipped';
    return { node, state };
  });
  return { nodes, undone, compensating: order.status === 'COMPENSATING' };
}
