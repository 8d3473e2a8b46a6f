/**
 * Group commit: writes that arrive while a transaction is being written wait, and the next transaction takes them
 * all, so many callers share one commit and its sync to disk. Each caller still hears its own outcome; a batch that
 * fails as a whole (a deadlock, a key another process stored meanwhile) was rolled back and is written again, and one
 * that fails for another reason is written again item by item, so only the bad write fails.
 */
import { DeadlockException, type MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { driverException, inTransaction, type PlainTransaction } from './plain-sql';
import { isDatabaseUnavailable } from './unavailable';

/** Writes a batch in the transaction and answers each item's outcome, in the items' order. */
export type BatchWrite<Item, Result> = (
  tx: PlainTransaction,
  items: readonly Item[],
) => Promise<PromiseSettledResult<Result>[]>;

interface Waiter<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export class GroupCommit<Item, Result = void> {
  private waiting: Waiter<Item, Result>[] = [];
  private writing = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly write: BatchWrite<Item, Result>,
    private readonly maxBatch = 256,
    private readonly attempts = 3,
  ) {}

  /** Resolves once the transaction holding `item` has committed, with its outcome; rejects with its failure. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        // One turn of the event loop lets every write already on its way join this batch.
        await new Promise(setImmediate);
        await this.settle(this.waiting.splice(0, this.maxBatch));
      }
    } finally {
      this.writing = false;
    }
  }

  private async settle(waiters: Waiter<Item, Result>[]): Promise<void> {
    const items = waiters.map((waiter) => waiter.item);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcomes = await inTransaction(this.orm, (tx) => this.write(tx, items));
        waiters.forEach((waiter, index) => {
          const outcome = outcomes[index];
          if (outcome?.status === 'fulfilled') waiter.resolve(outcome.value);
          else waiter.reject(outcome ? outcome.reason : new Error('the batch answered no outcome'));
        });
        return;
      } catch (error) {
        const converted = driverException(this.orm, error);
        const transient =
          converted instanceof UniqueConstraintViolationException || converted instanceof DeadlockException;
        if (transient && attempt < this.attempts) continue;
        // One bad write must not fail the writes batched with it: they are written again, each on its own.
        if (waiters.length > 1 && !transient && !isDatabaseUnavailable(error)) {
          for (const waiter of waiters) await this.settle([waiter]);
          return;
        }
        for (const waiter of waiters) waiter.reject(error);
        return;
      }
    }
  }
}
