/** What the browser suites share: the built page, the whole system, Debian's Chromium, and page helpers. */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import type { Shelf } from '../support/ledger';
import { type Stack, startStack } from '../support/stack';

export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  stop(): Promise<void>;
}

/** Builds the page with Vite, then starts the system (Temporal dev server, MariaDB, worker, API) and Chromium. */
export async function startBrowserStack(taskQueue: string): Promise<BrowserStack> {
  await build({
    configFile: resolve(import.meta.dirname, '../../web-demo/vite.config.ts'),
    logLevel: 'error',
  });
  await mkdir(ARTIFACTS, { recursive: true });
  // Chromium first: when it cannot start, no Temporal dev server is left running behind the failed suite.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  // Authentication on, as `npm run dev` runs it: the page signs in through the dev token endpoint.
  const settings = { RETURN_WINDOW: '10m', AUTH_JWT_SECRET: 'browser-suite-secret-0123456789abcdef' };
  const stack = await startStack(taskQueue, settings).catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  return {
    stack,
    browser,
    async stop() {
      await browser.close();
      await stack.stop();
    },
  };
}

export const LAPTOP = { width: 1280, height: 900 };
export const SMALL_LAPTOP = { width: 1024, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** How far the page is wider than the window: a layout that fits the width says 0. */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

interface OrderChoice {
  postalCode?: string;
  flagged?: boolean;
  /** The status the order waits in once placed. */
  waitsIn?: string;
}

/** Opens the page, orders 2 mugs and a lamp from the shelf, and waits until the order waits for someone. */
export async function placeFromPage(
  page: Page,
  url: string,
  shelf: Shelf,
  choice: OrderChoice = {},
): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.locator('#session').textContent()).toContain('signed in as');
  await page.locator(`#products input[name="${shelf.mug}"]`).fill('2');
  await page.locator(`#products input[name="${shelf.lamp}"]`).fill('1');
  if (choice.postalCode) await page.locator('select[name="postalCode"]').selectOption(choice.postalCode);
  if (choice.flagged) await page.getByLabel('Flag for a staff audit').check();
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  await page.getByRole('button', { name: 'Place order' }).click();
  await waitForStatus(page, choice.waitsIn ?? 'AWAITING_PAYMENT');
}

/** Signs the page in as `role` named `sub` with the box in its header, as a person would. */
export async function signInAs(page: Page, role: 'customer' | 'staff' | 'admin', sub: string): Promise<void> {
  await page.getByLabel('Act as').selectOption(role);
  await page.getByLabel('named').fill(sub);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('#session').textContent()).toContain(`signed in as ${role} ${sub}`);
}

export const waitForStatus = (page: Page, status: string) =>
  expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe(status);

/** True while the page is the one placeFromPage loaded: everything since came live, not from a reload. */
export const stillTheSamePage = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

export const nodeState = (page: Page, node: string) =>
  page.locator(`.saga [data-node="${node}"]`).getAttribute('data-state');

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: resolve(ARTIFACTS, name), fullPage: true });
