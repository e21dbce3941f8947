/** Steps of the SLA designer journeys (designerSla.test.ts) on bpmn-js and its properties panel. */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** The `sla:policies` blocks of a document, whitespace-normalised. */
export function slaBlocks(xml: string): string[] {
  return [...xml.matchAll(/<sla:policies>[\s\S]*?<\/sla:policies>/g)].map((m) => m[0].replace(/\s+/g, ' ').replace(/> </g, '><'));
}

export async function downloadXml(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#designer-save')]);
  return readFile(await download.path(), 'utf8');
}

/** Clicks an element on the canvas and waits for the properties panel to show it (by its name). */
export async function selectElement(page: Page, id: string, name: string): Promise<void> {
  await page.locator(`g.djs-element[data-element-id="${id}"] .djs-hit`).first().click();
  await page.locator(`g.djs-element.selected[data-element-id="${id}"]`).waitFor();
  // the panel follows the selection
  await page.locator('#designer-properties .bio-properties-panel-header-label', { hasText: name }).waitFor();
}

export const group = (page: Page) => page.locator('#designer-properties [data-group-id="group-sla-policies"]');
