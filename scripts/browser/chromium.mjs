// Headless Chromium for the browser checks: Debian's `chromium` (never a downloaded browser) driven by
// playwright-core, and the response headers that make a page cross-origin isolated.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Sent with every response of an isolated page: the shared WebAssembly heap and Web Worker threads need them. */
export const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

/** Starts headless Chromium (CHROMIUM overrides /usr/bin/chromium); exits with a message when it is not installed. */
export async function launchChromium(who) {
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    console.error(`${who}: no Chromium at ${executablePath} (apt-get install chromium)`);
    process.exit(1);
  }
  return chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
