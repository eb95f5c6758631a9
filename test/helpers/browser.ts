import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from 'playwright-core';
import { build } from 'vite';
import { DEMO_PAGE_DIR } from '#src/common/demo-page.js';
import type { TestApp } from './test-app.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, offline and quiet: no sandbox (containers), no GPU, and no calls home that a test could wait on. */
const LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** A browser for tests that open a context each (own storage, own locale). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(LAUNCH);
}

/** A Chromium profile of its own: one context whose storage persists across the steps of a file, and its first tab. */
export interface PersistentChromium {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes the profile folder. */
  close(): Promise<void>;
}

/** Starts Chromium on a fresh profile folder, for tests that share tabs and localStorage between steps. */
export async function launchPersistentChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<PersistentChromium> {
  const profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, { ...LAUNCH, ...options });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        try {
          await context.close();
        } finally {
          rmSync(profileDir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(profileDir, { recursive: true, force: true });
    throw e;
  }
}

/** Starts the test app on a free local port, as a browser needs a real server; returns its base URL. */
export async function listenLocally(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** The demo page is served from its build output: build it once when a fresh checkout has none. */
export async function ensureDemoPageBuilt(): Promise<void> {
  if (!existsSync(join(DEMO_PAGE_DIR, 'index.html'))) {
    await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
  }
}
