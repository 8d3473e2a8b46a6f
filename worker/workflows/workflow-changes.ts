/**
 * The changes made to the order workflow since orders first ran, each asked with `patched()` where it was asked
 * when it came, so that older histories replay as they ran. A patch costs an order two history events (its marker
 * and the SDK's TemporalChangeVersion search attribute upsert), so a new order records one marker, its fold's,
 * asked before the workflow's first command: for that order every change up to its fold is in. The changes that
 * came with a fold have no patch of their own: orders begun before it never make them.
 */
import { patched } from '@temporalio/workflow';

export type WorkflowChange =
  | 'bounds-before-writes'
  | 'input-bounds'
  | 'order-search-attributes'
  | 'local-order-writes'
  | 'status-attribute-at-rest'
  | 'local-stock-work'
  | 'order-writes-before-waits'
  | 'sale-confirmed-in-one-write';

/** Oldest first; the last is the one new orders record. */
const FOLDS: readonly { marker: string; cameWith: readonly WorkflowChange[] }[] = [
  { marker: 'changes-folded', cameWith: ['status-attribute-at-rest'] },
  { marker: 'changes-folded-2', cameWith: ['local-stock-work'] },
  { marker: 'changes-folded-3', cameWith: ['order-writes-before-waits'] },
  { marker: 'changes-folded-4', cameWith: ['sale-confirmed-in-one-write'] },
];

/** How many folds the order was begun under (0: none, it asks each change): the newest marker in its history. */
function foldsOfThisOrder(): number {
  const newestFirst = FOLDS.map(({ marker }, index) => ({ marker, folds: index + 1 })).reverse();
  return newestFirst.find(({ marker }) => patched(marker))?.folds ?? 0;
}

export class WorkflowChanges {
  private readonly folds = foldsOfThisOrder();

  has(change: WorkflowChange): boolean {
    const cameWithFold = FOLDS.findIndex((fold) => fold.cameWith.includes(change)) + 1;
    if (this.folds > 0) return cameWithFold <= this.folds;
    return cameWithFold === 0 && patched(change);
  }
}
