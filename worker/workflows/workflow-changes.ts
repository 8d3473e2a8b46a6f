/**
 * The changes made to the order workflow since orders first ran, each asked with `patched()` where it was asked
 * when it came, so that older histories replay as they ran. A patch costs an order two history events (its marker
 * and the SDK's TemporalChangeVersion search attribute upsert), so orders begun since 'changes-folded' record one
 * marker for all of them, asked before the workflow's first command: for those orders every change below is in.
 * The changes that came with the fold have no patch of their own: orders begun before it never make them.
 */
import { patched } from '@temporalio/workflow';

export type WorkflowChange =
  | 'bounds-before-writes'
  | 'input-bounds'
  | 'order-search-attributes'
  | 'local-order-writes'
  | 'status-attribute-at-rest';

const CAME_WITH_THE_FOLD: readonly WorkflowChange[] = ['status-attribute-at-rest'];

export class WorkflowChanges {
  private readonly folded = patched('changes-folded');

  has(change: WorkflowChange): boolean {
    return this.folded || (!CAME_WITH_THE_FOLD.includes(change) && patched(change));
  }
}
