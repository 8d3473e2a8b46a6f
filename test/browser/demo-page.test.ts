/**
 * The demo page in real headless Chromium against the whole system: an order placed and paid reaches
 * COMPLETED with the graph's last step lit, and a declined card shows the compensation path, both live
 * without a reload. Screenshots of the end states go to test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payUpdate } from '../../common/actions';
import { readConfig } from '../../common/config';
import { startApi } from '../../server/start-api';
import { webDemoHandler } from '../../server/web-demo-assets';
import { type Shelf, stockShelf } from '../support/ledger';
import { type Stack, startStack } from '../support/stack';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  await build({
    configFile: resolve(import.meta.dirname, '../../web-demo/vite.config.ts'),
    logLevel: 'error',
  });
  await mkdir(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack('browser-demo', { RETURN_WINDOW: '10m' }),
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function placeFromPage(page: Page, shelf: Shelf): Promise<void> {
  await page.goto(`${stack.api.url}/`);
  await page.locator(`#products input[name="${shelf.mug}"]`).fill('2');
  await page.locator(`#products input[name="${shelf.lamp}"]`).fill('1');
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect
    .poll(() => page.locator('#status').textContent(), { timeout: 20_000 })
    .toBe('AWAITING_PAYMENT');
}

const stillTheSamePage = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

const nodeState = (page: Page, node: string) =>
  page.locator(`.saga [data-node="${node}"]`).getAttribute('data-state');

describe('the demo page', () => {
  it('places and pays an order and shows it reach COMPLETED live, with the last step lit', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await placeFromPage(page, shelf);
    await page.getByRole('button', { name: 'Pay (tok_visa)' }).click();

    await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    expect(await nodeState(page, 'confirm')).toBe('active');
    for (const node of ['validate', 'reserve', 'payment', 'ship'])
      expect(await nodeState(page, node)).toBe('done');
    expect(await page.locator('#summary').textContent()).toContain('tracking OF-');
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(9);
    expect(await stillTheSamePage(page)).toBe(true);
    await page.screenshot({ path: resolve(ARTIFACTS, 'demo-completed.png'), fullPage: true });
    await page.close();
  });

  it('shows a declined payment failing and its compensations lighting up, live', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await placeFromPage(page, shelf);
    await page.getByRole('button', { name: 'Pay with a declined card' }).click();

    await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('FAILED');
    expect(await nodeState(page, 'payment')).toBe('failed');
    expect(await nodeState(page, 'reserve')).toBe('compensated');
    expect(await page.locator('#undo').textContent()).toContain('undo payment → undo reserve');
    expect(await page.locator('#message').textContent()).toContain('PAYMENT_DECLINED');
    expect(await stillTheSamePage(page)).toBe(true);
    await page.screenshot({ path: resolve(ARTIFACTS, 'demo-declined.png'), fullPage: true });
    await page.close();
  });

  it('catches up by itself after the server is stopped and started again, missing nothing', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await placeFromPage(page, shelf);
    const orderId = (await page.locator('#order-id').textContent()) ?? '';
    const port = new URL(stack.api.url).port;

    await stack.api.close();
    await expect
      .poll(() => page.locator('#connection').textContent(), { timeout: 20_000 })
      .toBe('reconnecting…');
    await stack.env.client.workflow
      .getHandle(orderId)
      .executeUpdate(payUpdate, { args: [{ paymentMethod: 'tok_visa' }] });
    const restarted = await startApi(
      readConfig({ ...stack.processEnv, PORT: port }),
      stack.db.orm,
      stack.env.address,
      webDemoHandler(),
    );
    try {
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
      const versions = await page.locator('#timeline .v').allTextContents();
      expect(versions).toEqual(
        Array.from({ length: versions.length }, (_, index) => `v${versions.length - index}`),
      );
      expect(await stillTheSamePage(page)).toBe(true);
      await page.screenshot({ path: resolve(ARTIFACTS, 'demo-reconnected.png'), fullPage: true });
    } finally {
      await page.close();
      await restarted.close();
    }
  });
});
