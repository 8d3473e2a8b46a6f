/**
 * The saga graph's state, read off an order's timeline alone: which step is lit, which are done, which
 * failed, and which compensations have run (or are running) in reverse order.
 */
import { type OrderStatus, SAGA_STEPS, type SagaStep } from '../../common/order';

export type NodeState = 'pending' | 'active' | 'done' | 'skipped' | 'failed' | 'compensating' | 'compensated';
/** The compensation edge under a step: not needed, running, finished, or failed and handed to staff. */
export type UndoState = 'idle' | 'running' | 'done' | 'escalated';

export const NODE_LABELS: Record<SagaStep, string> = {
  validate: 'validate',
  audit: 'audit',
  reserve: 'reserve',
  payment: 'payment',
  ship: 'ship',
  confirm: 'confirm',
  return: 'returns',
};

/**
 * Steps with an undo, what it does, and the status of the timeline entry that shows the step's effect has
 * begun: the workflow registers an undo just before the effect, so only then is there one to run.
 */
export const COMPENSATIONS: Partial<Record<SagaStep, { label: string; effectStatus: OrderStatus }>> = {
  reserve: { label: 'release stock', effectStatus: 'RESERVING' },
  payment: { label: 'refund', effectStatus: 'CHARGING' },
  ship: { label: 'cancel shipments', effectStatus: 'SHIPPING' },
  confirm: { label: 'restock', effectStatus: 'COMPLETED' },
};

export interface TimelineLike {
  status: OrderStatus;
  step: string | null;
  message: string;
}

export interface OrderLike {
  status: OrderStatus;
  failure: { step: string } | null;
  timeline: readonly TimelineLike[];
}

export interface SagaNodeView {
  node: SagaStep;
  state: NodeState;
  /** null for a step that has nothing to undo. */
  undo: UndoState | null;
}

export interface SagaGraph {
  nodes: SagaNodeView[];
  /** The step the order is at (lit), or null before its first entry. */
  current: SagaStep | null;
  /** Compensations that ran or are running, in the order they ran (the reverse of the steps). */
  undoPath: SagaStep[];
}

const STOPPED: readonly OrderStatus[] = ['COMPENSATING', 'FAILED', 'CANCELLED', 'REJECTED'];
const AT_REST: readonly OrderStatus[] = ['COMPLETED', 'RETURNED'];

const isSagaStep = (step: string | null): step is SagaStep => SAGA_STEPS.includes(step as SagaStep);

export function sagaGraph(order: OrderLike): SagaGraph {
  const { timeline } = order;
  const forward = timeline.map((entry) => entry.step).filter(isSagaStep);
  const reached = new Set(forward);
  const undone = undoneSteps(timeline);
  const escalated = escalatedUndos(timeline);
  const failed = STOPPED.includes(order.status) ? (order.failure?.step ?? null) : null;
  const running = order.status === 'COMPENSATING' ? nextUndo(timeline, undone, escalated) : null;
  const current = isSagaStep(failed) ? failed : (forward.at(-1) ?? null);
  const lastReached = current ? SAGA_STEPS.indexOf(current) : -1;

  const undoOf = (node: SagaStep): UndoState | null => {
    if (!COMPENSATIONS[node]) return null;
    if (undone.includes(node)) return 'done';
    if (escalated.has(node)) return 'escalated';
    return node === running ? 'running' : 'idle';
  };
  const stateOf = (node: SagaStep, index: number): NodeState => {
    if (node === failed) return 'failed';
    if (undone.includes(node)) return 'compensated';
    if (node === running) return 'compensating';
    if (node === current)
      return STOPPED.includes(order.status) || AT_REST.includes(order.status) ? 'done' : 'active';
    if (reached.has(node)) return 'done';
    return index < lastReached ? 'skipped' : 'pending';
  };

  return {
    nodes: SAGA_STEPS.map((node, index) => ({ node, state: stateOf(node, index), undo: undoOf(node) })),
    current,
    undoPath: running ? [...undone, running] : undone,
  };
}

function undoneSteps(timeline: readonly TimelineLike[]): SagaStep[] {
  return timeline
    .map((entry) => entry.step ?? '')
    .filter((step) => step.startsWith('undo:'))
    .map((step) => step.slice('undo:'.length))
    .filter(isSagaStep);
}

/** The workflow writes a compensation that failed after its retries as `escalate` with `undo:<step> failed...`. */
function escalatedUndos(timeline: readonly TimelineLike[]): Set<SagaStep> {
  const steps = timeline
    .filter((entry) => entry.step === 'escalate')
    .map((entry) => /^undo:(\w+) failed/.exec(entry.message)?.[1] ?? null)
    .filter(isSagaStep);
  return new Set(steps);
}

/** The undo running now: the latest step whose effect began and whose undo has not finished either way. */
function nextUndo(
  timeline: readonly TimelineLike[],
  undone: readonly SagaStep[],
  escalated: ReadonlySet<SagaStep>,
): SagaStep | null {
  const begun = (node: SagaStep) =>
    timeline.some((entry) => entry.step === node && entry.status === COMPENSATIONS[node]?.effectStatus);
  const waiting = [...SAGA_STEPS]
    .reverse()
    .filter((node) => COMPENSATIONS[node] && begun(node) && !undone.includes(node) && !escalated.has(node));
  return waiting[0] ?? null;
}
