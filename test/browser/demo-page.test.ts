/**
 * The demo page in real headless Chromium against the whole system: an order placed and paid reaches
 * COMPLETED with the graph's last step lit, a declined card shows the compensation path, both live without a
 * reload, and a server restart is caught up by version. Screenshots of the end states go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ACTIONS } from '../../common/actions';
import { readConfig } from '../../common/config';
import { startApi } from '../../server/start-api';
import { webDemoHandler } from '../../server/web-demo-assets';
import { stockShelf } from '../support/ledger';
import {
  type BrowserStack,
  horizontalOverflow,
  LAPTOP,
  nodeState,
  PHONE,
  placeFromPage,
  SMALL_LAPTOP,
  screenshot,
  startBrowserStack,
  stillTheSamePage,
  waitForStatus,
} from './harness';

let system: BrowserStack;
beforeAll(async () => {
  system = await startBrowserStack('browser-demo');
});
afterAll(async () => {
  await system?.stop();
});

describe('the demo page', () => {
  it('places and pays an order and shows it reach COMPLETED live, with the last step lit', async () => {
    const shelf = await stockShelf(system.stack.db.orm);
    const page = await system.browser.newPage({ viewport: LAPTOP });
    await placeFromPage(page, system.stack.api.url, shelf);
    const mugReserved = page.locator(`#products tr[data-sku="${shelf.mug}"] .reserved`);
    await expect.poll(() => mugReserved.textContent()).toBe('2 reserved');
    await page.getByRole('button', { name: 'Pay (tok_visa)' }).click();

    await waitForStatus(page, 'COMPLETED');
    for (const node of ['validate', 'reserve', 'payment', 'ship', 'confirm'])
      expect(await nodeState(page, node)).toBe('done');
    expect(await nodeState(page, 'audit')).toBe('skipped');
    expect(await nodeState(page, 'return')).toBe('pending');
    expect(await page.locator('.saga [aria-current="step"]').getAttribute('data-node')).toBe('confirm');
    expect(await page.locator('.saga .edge.done').count()).toBe(0);
    expect(await page.locator('#facts').textContent()).toContain('OF-');
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(9);
    await expect.poll(() => mugReserved.textContent()).toBe('0 reserved');
    expect(await page.getByRole('button', { name: 'Request a return' }).isVisible()).toBe(true);
    expect(await stillTheSamePage(page)).toBe(true);
    await screenshot(page, 'demo-completed.png');
    await page.setViewportSize(SMALL_LAPTOP);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'demo-completed-small-laptop.png');
    await page.close();
  });

  it('shows a declined payment failing and its compensations lighting up in reverse, live', async () => {
    const shelf = await stockShelf(system.stack.db.orm);
    const page = await system.browser.newPage({ viewport: PHONE });
    await placeFromPage(page, system.stack.api.url, shelf);
    await page.getByRole('button', { name: 'Pay with a declined card' }).click();

    await waitForStatus(page, 'FAILED');
    expect(await nodeState(page, 'payment')).toBe('failed');
    expect(await nodeState(page, 'reserve')).toBe('compensated');
    expect(await nodeState(page, 'ship')).toBe('pending');
    expect(await page.locator('.saga .edge.done').allTextContents()).toEqual([
      '2. ↩ release stock',
      '1. ↩ refund',
    ]);
    expect(await page.locator('#undo').textContent()).toBe(
      'Compensated, last step first: refund → release stock',
    );
    expect(await page.locator('#order-message').textContent()).toContain('PAYMENT_DECLINED');
    expect(await page.locator('#actions button').count()).toBe(0);
    expect(await stillTheSamePage(page)).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'demo-declined.png');
    await page.close();
  });

  it('catches up by itself after the server is stopped and started again, missing nothing', async () => {
    const shelf = await stockShelf(system.stack.db.orm);
    const page = await system.browser.newPage({ viewport: LAPTOP });
    await placeFromPage(page, system.stack.api.url, shelf);
    const orderId = (await page.locator('#order-id').textContent()) ?? '';
    const seen = Number((await page.locator('#timeline .v').first().textContent())?.slice(1));
    const port = new URL(system.stack.api.url).port;
    const subscribes: unknown[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: { variables?: unknown } };
        if (message.type === 'subscribe') subscribes.push(message.payload?.variables);
      }),
    );

    await system.stack.api.close();
    await expect
      .poll(() => page.locator('#connection').textContent(), { timeout: 20_000 })
      .toBe('reconnecting…');
    await system.stack.env.client.workflow
      .getHandle(orderId)
      .executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: 'tok_visa' }] });
    const restarted = await startApi(
      readConfig({ ...system.stack.processEnv, PORT: port }),
      system.stack.db.orm,
      system.stack.env.address,
      webDemoHandler(),
    );
    try {
      await waitForStatus(page, 'COMPLETED');
      const versions = await page.locator('#timeline .v').allTextContents();
      expect(versions).toEqual(
        Array.from({ length: versions.length }, (_, index) => `v${versions.length - index}`),
      );
      expect(subscribes[0]).toEqual({ id: orderId, sinceVersion: seen });
      expect(await page.locator('#connection').textContent()).toBe('live');
      expect(await stillTheSamePage(page)).toBe(true);
      await screenshot(page, 'demo-reconnected.png');
    } finally {
      await page.close();
      await restarted.close();
    }
  });
});
