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
    expect(await page.locator(`#products tr[data-sku="${shelf.mug}"] .reserved`).textContent()).toBe(
      '2 reserved',
    );
    await page.getByRole('button', { name: 'Pay (tok_visa)' }).click();

    await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    for (const node of ['validate', 'reserve', 'payment', 'ship', 'confirm'])
      expect(await nodeState(page, node)).toBe('done');
    expect(await nodeState(page, 'audit')).toBe('skipped');
    expect(await nodeState(page, 'return')).toBe('pending');
    expect(await page.locator('.saga [aria-current="step"]').getAttribute('data-node')).toBe('confirm');
    expect(await page.locator('.saga .edge.done').count()).toBe(0);
    expect(await page.locator('#facts').textContent()).toContain('OF-');
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(9);
    await expect
      .poll(() => page.locator(`#products tr[data-sku="${shelf.mug}"] .reserved`).textContent())
      .toBe('0 reserved');
    expect(await page.getByRole('button', { name: 'Request a return' }).isVisible()).toBe(true);
    expect(await stillTheSamePage(page)).toBe(true);
    await page.screenshot({ path: resolve(ARTIFACTS, 'demo-completed.png'), fullPage: true });
    await page.close();
  });

  it('shows a declined payment failing and its compensations lighting up in reverse, live', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await placeFromPage(page, shelf);
    await page.getByRole('button', { name: 'Pay with a declined card' }).click();

    await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('FAILED');
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
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: resolve(ARTIFACTS, 'demo-declined.png'), fullPage: true });
    await page.close();
  });

  it('catches up by itself after the server is stopped and started again, missing nothing', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await placeFromPage(page, shelf);
    const orderId = (await page.locator('#order-id').textContent()) ?? '';
    const seen = Number((await page.locator('#timeline .v').first().textContent())?.slice(1));
    const port = new URL(stack.api.url).port;
    const subscribes: unknown[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: { variables?: unknown } };
        if (message.type === 'subscribe') subscribes.push(message.payload?.variables);
      }),
    );

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
      expect(subscribes[0]).toEqual({ id: orderId, sinceVersion: seen });
      expect(await page.locator('#connection').textContent()).toBe('live');
      expect(await stillTheSamePage(page)).toBe(true);
      await page.screenshot({ path: resolve(ARTIFACTS, 'demo-reconnected.png'), fullPage: true });
    } finally {
      await page.close();
      await restarted.close();
    }
  });
});
