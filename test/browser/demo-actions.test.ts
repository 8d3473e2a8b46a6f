/**
 * Every other action on the demo page, live in headless Chromium: a staff audit, a cancellation, an
 * undeliverable address and a return. Each end state is written to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockShelf } from '../support/ledger';
import {
  type BrowserStack,
  LAPTOP,
  nodeState,
  placeFromPage,
  screenshot,
  signInAs,
  startBrowserStack,
  stillTheSamePage,
  waitForStatus,
} from './harness';

let system: BrowserStack;
beforeAll(async () => {
  system = await startBrowserStack('browser-actions');
});
afterAll(async () => {
  await system?.stop();
});

async function orderPage(choice: Parameters<typeof placeFromPage>[3] = {}) {
  const shelf = await stockShelf(system.stack.db.orm);
  const page = await system.browser.newPage({ viewport: LAPTOP });
  await placeFromPage(page, `${system.stack.api.url}/`, shelf, choice);
  return page;
}

describe('the demo page', () => {
  it('holds a flagged order for staff, and a cancellation after the approval releases its stock', async () => {
    const page = await orderPage({ flagged: true, waitsIn: 'AWAITING_AUDIT' });
    expect(await nodeState(page, 'audit')).toBe('active');
    expect(await page.getByRole('button', { name: 'Staff: approve audit' }).count()).toBe(0);
    await signInAs(page, 'staff', 'grace');
    await page.getByRole('button', { name: 'Staff: approve audit' }).click();
    await waitForStatus(page, 'AWAITING_PAYMENT');
    expect(await nodeState(page, 'audit')).toBe('done');
    expect(await page.getByRole('button', { name: 'Pay (tok_visa)' }).count()).toBe(0);

    await signInAs(page, 'customer', 'ada');
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await waitForStatus(page, 'CANCELLED');
    expect(await nodeState(page, 'payment')).toBe('failed');
    expect(await nodeState(page, 'reserve')).toBe('compensated');
    expect(await page.locator('.saga .edge.done').allTextContents()).toEqual(['1. ↩ release stock']);
    expect(await page.locator('#facts').textContent()).toContain('CANCELLED_BY_CUSTOMER');
    expect(await stillTheSamePage(page)).toBe(true);
    await screenshot(page, 'demo-cancelled-after-audit.png');
    await page.close();
  });

  it('fails an undeliverable order at shipping and undoes shipping, payment and reservation in that order', async () => {
    const page = await orderPage({ postalCode: '00000' });
    await page.getByRole('button', { name: 'Pay (tok_visa)' }).click();
    await waitForStatus(page, 'FAILED');
    expect(await nodeState(page, 'ship')).toBe('failed');
    expect(await page.locator('#undo').textContent()).toBe(
      'Compensated, last step first: cancel shipments → refund → release stock',
    );
    expect(await page.locator('#facts').textContent()).toContain('UNDELIVERABLE');
    await screenshot(page, 'demo-undeliverable.png');
    await page.close();
  });

  it('takes a completed order back: the customer asks, staff approve, it ends RETURNED and refunded', async () => {
    const page = await orderPage();
    await page.getByRole('button', { name: 'Pay with a flaky card' }).click();
    await waitForStatus(page, 'COMPLETED');
    await page.getByRole('button', { name: 'Request a return' }).click();
    await waitForStatus(page, 'RETURN_REQUESTED');
    expect(await nodeState(page, 'return')).toBe('active');
    await signInAs(page, 'staff', 'grace');
    await page.getByRole('button', { name: 'Staff: approve return' }).click();
    await waitForStatus(page, 'RETURNED');
    expect(await nodeState(page, 'return')).toBe('done');
    expect(await page.locator('#facts').textContent()).toContain('€70.00 refunded');
    expect(await page.locator('#actions button').count()).toBe(0);
    expect(await stillTheSamePage(page)).toBe(true);
    await screenshot(page, 'demo-returned.png');
    await page.close();
  });

  it("signs in as another customer, who sees none of ada's orders, and as staff, who sees them all", async () => {
    const page = await orderPage();
    const orderId = (await page.locator('#order-id').textContent()) ?? '';
    const listed = () => page.locator('#recent .recent-id').allTextContents();
    await expect.poll(listed).toContain(orderId);

    await signInAs(page, 'customer', 'bob');
    await expect.poll(listed).not.toContain(orderId);
    await page.goto(`${system.stack.api.url}/?order=${orderId}`);
    await expect
      .poll(() => page.locator('#order-message').textContent())
      .toContain(`There is no order ${orderId}`);

    await signInAs(page, 'staff', 'grace');
    await expect.poll(listed).toContain(orderId);
    expect(await page.locator('#session').textContent()).toContain('decides audits and returns');
    await page.close();
  });
});
