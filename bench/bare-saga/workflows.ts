/**
 * The bare saga: an order's happy path as Temporal sees it, with no business in it. It runs the rows of a shape
 * (bare-saga/shape.ts): no-op activities, local or regular on their role's queue as the real saga routes them and
 * with its activity options, the order's status changes announced by its no-op recordOrderSnapshot, one child
 * workflow per warehouse, the pay update with the payment timeout's timer, and the return window's timer.
 */
import {
  type ActivityInterfaceFor,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineUpdate,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { shipmentWorkflowId } from '../../common/ids';
import type { OrderStatus } from '../../common/order';
import { taskQueueOf, WORKER_ROLES, type WorkerRole } from '../../common/task-queues';
import { ACTIVITY_ROLES } from '../../worker/activity-roles';
import { STEP_ACTIVITY_OPTIONS } from '../../worker/workflows/routed-activities';
import type { ActivityName, Execution, ShapeStep } from './shape';

/** Answers with the number of payments the order took, once it has left AWAITING_PAYMENT and CHARGING. */
export const barePayUpdate = defineUpdate<number, [paymentMethod: string]>('pay');

export interface BareSagaInput {
  shape: ShapeStep[];
  warehouses: string[];
  paymentTimeoutMs: number;
  returnWindowMs: number;
}

/** The real saga's pay update answers once the order has moved past these. */
const PAYING: readonly OrderStatus[] = ['AWAITING_PAYMENT', 'CHARGING'];

/** What the bare recordOrderSnapshot writes of an order: which, and at what version. */
type WrittenVersion = { orderId: string; version: number };
type NoArguments = Record<ActivityName, (written?: WrittenVersion) => Promise<unknown>>;

/** Runs shape rows in a workflow: the order's own rows in the parent, a shipment's in each child. */
class BareRun {
  status: OrderStatus = 'VALIDATING';
  version = 0;
  payments = 0;
  private readonly local = proxyLocalActivities<NoArguments>(STEP_ACTIVITY_OPTIONS);
  private readonly regular: Record<WorkerRole, ActivityInterfaceFor<NoArguments>>;

  constructor(private readonly input: BareSagaInput) {
    const ordersQueue = workflowInfo().taskQueue;
    this.regular = Object.fromEntries(
      WORKER_ROLES.map((role) => [
        role,
        proxyActivities<NoArguments>({ ...STEP_ACTIVITY_OPTIONS, taskQueue: taskQueueOf(ordersQueue, role) }),
      ]),
    ) as Record<WorkerRole, ActivityInterfaceFor<NoArguments>>;
  }

  async run(): Promise<void> {
    for (const step of this.input.shape) {
      if ('record' in step) this.record(step.record);
      else if ('activity' in step) await this.call(step.activity, step.as);
      else if ('child' in step) await this.shipFromEveryWarehouse(step.child);
      else if (step.wait === 'payment') await this.awaitPayment();
      // Nobody asks for a return: the window's timer stays pending, as an open order's does.
      else await condition(() => false, this.input.returnWindowMs);
    }
  }

  private async call(activity: ActivityName, as: Execution): Promise<void> {
    const activities = as === 'local' ? this.local : this.regular[ACTIVITY_ROLES[activity]];
    // The write announces the version, where the real saga's caller first sees a change: placeOrder answers, order(id)
    // reads and the status feed hears of it once the order table holds it (../shared/baselines/p1 likewise counts an
    // order as awaiting payment after its last write before the wait).
    if (activity === 'recordOrderSnapshot') {
      await activities.recordOrderSnapshot({ orderId: workflowInfo().workflowId, version: this.version });
    } else {
      await activities[activity]();
    }
  }

  private record(status: OrderStatus): void {
    this.status = status;
    this.version += 1;
  }

  private async awaitPayment(): Promise<void> {
    const { paymentTimeoutMs } = this.input;
    if (!(await condition(() => this.payments > 0, paymentTimeoutMs))) {
      throw ApplicationFailure.nonRetryable(
        `bare order ${workflowInfo().workflowId}: no payment within ${paymentTimeoutMs} ms`,
      );
    }
  }

  private async shipFromEveryWarehouse(shape: ShapeStep[]): Promise<void> {
    const orderId = workflowInfo().workflowId;
    await Promise.all(
      this.input.warehouses.map((warehouse) =>
        executeChild(bareShipment, {
          workflowId: shipmentWorkflowId(orderId, warehouse),
          args: [{ ...this.input, shape }],
        }),
      ),
    );
  }
}

export async function bareSaga(input: BareSagaInput): Promise<number> {
  const order = new BareRun(input);
  setHandler(
    barePayUpdate,
    async (_paymentMethod: string) => {
      order.payments += 1;
      await condition(() => !PAYING.includes(order.status));
      return order.payments;
    },
    {
      validator: (_paymentMethod: string) => {
        if (order.status !== 'AWAITING_PAYMENT' || order.payments > 0) {
          throw ApplicationFailure.nonRetryable(
            `bare order ${workflowInfo().workflowId} is ${order.status}, not awaiting payment`,
          );
        }
      },
    },
  );
  await order.run();
  await condition(allHandlersFinished);
  return order.payments;
}

/** One warehouse's part of a bare order: its rows, in a child workflow like the saga's shipment. */
export async function bareShipment(input: BareSagaInput): Promise<void> {
  await new BareRun(input).run();
}
