/** What the phone journeys check on every screen: no sideways scrolling, 44 px touch targets. */
import type { Page } from 'playwright-core';

export const PHONE = { width: 375, height: 812 };

/** A 1x1 PNG: what a phone camera hands over, as far as the server's checks go. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** The page scrolls sideways only if something is wider than the phone. */
export async function fitsWidth(page: Page): Promise<boolean> {
  const widest = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  const limit = page.viewportSize()?.width ?? 0;
  if (widest <= limit) return true;
  // Say which elements stick out, so a failure points at the culprit.
  const culprits = await page.evaluate((max) => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.getBoundingClientRect().right > max + 0.5 && !Array.from(e.children).some((c) => c.getBoundingClientRect().right > max + 0.5))
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${String(e.className)} right=${Math.round(e.getBoundingClientRect().right)}`), limit);
  process.stderr.write(`wider than ${limit}px: ${culprits.join(', ')}\n`);
  return false;
}

/** Visible elements matching `selector` smaller than a 44 x 44 px touch target. */
export async function smallTargets(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els
    .filter((e) => (e as HTMLElement).offsetParent !== null)
    .filter((e) => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
    .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${(e.textContent ?? '').trim().slice(0, 30)}`));
}
