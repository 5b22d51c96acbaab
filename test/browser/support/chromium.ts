import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";

/** Debian's chromium package; browsers cannot be downloaded here. `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A `describe`/`test` skip value: false when Chromium is there, else a message saying why and how to fix it. */
export function skipUnlessChromium(): string | false {
  return existsSync(CHROMIUM_PATH)
    ? false
    : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory that `close()` deletes. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), "demo-chromium-"));
  try {
    // launchPersistentContext is Playwright's way to pass --user-data-dir; it adds --headless itself.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: { width: 1100, height: 760 },
      colorScheme: "light",
      timeout: 30_000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
