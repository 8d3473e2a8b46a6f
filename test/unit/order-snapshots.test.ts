/**
 * The order table's snapshots on an in-memory SQLite table: a snapshot read again unchanged is not parsed again and
 * is frozen, as every reader shares it; whatever the workflow writes next (a later version, or the same version
 * rewritten by a re-run task) is what the next read answers; an older version never replaces a later one, except the
 * workflow's last state. A wait for a row ends when this process writes it, and a listener hears every write.
 */
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderState, summaryOfState } from '../../common/order';
import { OrderRowWriter, readOrderSnapshot } from '../../database/order-snapshots';
import { openOrm } from '../../database/orm';
import { onRowWritten, pauseUntilWritten, type RowWrite } from '../../database/row-writes';
import { sampleOrder } from '../support/fake-orders';

let orm: MikroORM;
let rows: OrderRowWriter;

beforeAll(async () => {
  orm = await openOrm({ sqlitePath: ':memory:' });
  rows = new OrderRowWriter(orm);
});

afterAll(() => orm.close(true));

const write = (state: OrderState) => rows.write(summaryOfState(state), state);

describe('order snapshots', () => {
  it('answers an unchanged snapshot without parsing it again, and every change as written', async () => {
    const first = sampleOrder('snap-1');
    await write(first);
    const read = await readOrderSnapshot(orm, 'snap-1');
    expect(read).toEqual(first);
    expect(await readOrderSnapshot(orm, 'snap-1')).toBe(read);
    expect(() => read?.timeline.push(read.timeline[0] as never)).toThrow(TypeError);

    const later: OrderState = { ...first, status: 'RESERVING', version: first.version + 1 };
    await write(later);
    expect(await readOrderSnapshot(orm, 'snap-1')).toEqual(later);

    const rewritten: OrderState = { ...later, updatedAt: '2026-01-01T00:00:05.000Z' };
    await write(rewritten);
    expect(await readOrderSnapshot(orm, 'snap-1')).toEqual(rewritten);
    expect(await readOrderSnapshot(orm, 'unknown')).toBeNull();
  });

  it("keeps a later version against an older write, but not against the workflow's last state", async () => {
    const placed = sampleOrder('snap-2');
    // Written by a workflow task whose worker was lost: its re-run took a cancel before getting this far.
    const lost: OrderState = { ...placed, status: 'AWAITING_PAYMENT', version: 4 };
    await write(lost);
    await write({ ...placed, status: 'VALIDATING', version: 1 });
    expect(await readOrderSnapshot(orm, 'snap-2')).toEqual(lost);

    const cancelled: OrderState = { ...placed, status: 'CANCELLED', version: 2, ended: true };
    await write(cancelled);
    expect(await readOrderSnapshot(orm, 'snap-2')).toEqual(cancelled);
  });

  it('writes rows submitted at the same moment in one go, each ending at its newest version or last state', async () => {
    const placed = sampleOrder('batch-1');
    const written = sampleOrder('batch-2');
    await write({ ...written, version: 6 });
    await Promise.all([
      write({ ...placed, version: 2 }),
      write(placed),
      write({ ...written, version: 4 }),
      write({ ...written, version: 3, status: 'CANCELLED', ended: true }),
    ]);
    expect(await readOrderSnapshot(orm, 'batch-1')).toEqual({ ...placed, version: 2 });
    expect(await readOrderSnapshot(orm, 'batch-2')).toEqual({
      ...written,
      version: 3,
      status: 'CANCELLED',
      ended: true,
    });
  });

  it("ends a pause for an order's row when this process writes that row, not another order's or another ORM's", async () => {
    const elsewhere = await openOrm({ sqlitePath: ':memory:' });
    try {
      const pause = pauseUntilWritten(orm, 'wake-1', 60_000).then(() => 'woken');
      const afterThisTurn = () =>
        Promise.race([pause, new Promise((resolve) => setImmediate(() => resolve('still pausing')))]);
      await write(sampleOrder('wake-2'));
      await new OrderRowWriter(elsewhere).write(summaryOfState(sampleOrder('wake-1')), sampleOrder('wake-1'));
      expect(await afterThisTurn()).toBe('still pausing');
      await write(sampleOrder('wake-1'));
      expect(await afterThisTurn()).toBe('woken');
    } finally {
      await elsewhere.close(true);
    }
  });

  it('tells a listener of every row written through its ORM, with the state written, until it stops listening', async () => {
    const elsewhere = await openOrm({ sqlitePath: ':memory:' });
    const heard: RowWrite[] = [];
    const stop = onRowWritten(orm, (rowWrite) => heard.push(rowWrite));
    try {
      const placed = sampleOrder('hear-1');
      await write(placed);
      await rows.write(summaryOfState({ ...placed, version: 2 }));
      await new OrderRowWriter(elsewhere).write(summaryOfState(placed), placed);
      stop();
      await write({ ...placed, version: 3 });
      expect(heard).toEqual([
        { orderId: 'hear-1', version: 1, state: placed },
        { orderId: 'hear-1', version: 2, state: null },
      ]);
    } finally {
      stop();
      await elsewhere.close(true);
    }
  });
});
