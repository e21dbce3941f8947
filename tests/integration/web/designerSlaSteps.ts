/**
 * Steps of the SLA designer journeys (designerSla.test.ts, designerSlaPhone.test.ts) on bpmn-js
 * and its properties panel, and what they start: a stack with the shipped complaint process
 * deployed as version 1, and Chromium.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../support/browser';
import { startStack, type Stack } from '../../support/stack';

export interface DesignerSla {
  stack: Stack;
  browser: Browser;
  /** processes/complaint-handling.bpmn as shipped. */
  shipped: string;
  stop: () => Promise<void>;
}

export async function startDesignerSla(): Promise<DesignerSla> {
  const [stack, browser] = await Promise.all([startStack({ worker: false }), launchBrowser()]);
  const stop = async () => {
    await browser.close();
    await stack.stop();
  };
  try {
    const shipped = await readFile(path.resolve(__dirname, '../../../processes/complaint-handling.bpmn'), 'utf8');
    const deployed = await stack.api('POST', '/api/definitions?resourceName=complaint-handling.bpmn', shipped, 'application/xml');
    expect(deployed.status).toBe(201);
    return { stack, browser, shipped, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

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

/** A shipped process: deploying proposes (four-eyes); a second designer approves, then the page reloads the latest. */
export async function approveProposal(page: Page, stack: Stack): Promise<void> {
  await page.locator('#designer-status.ok', { hasText: 'another designer or admin must approve it' }).waitFor();
  expect(await page.locator('.server-problem').count()).toBe(0);
  const pending = await stack.api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/definition-proposals');
  const proposal = pending.body.items.find((p) => p.status === 'pending')!;
  expect((await stack.as({ roles: ['designer'] })('POST', `/api/definition-proposals/${proposal.id}/approve`)).status).toBe(201);
  await page.goto('/#/designer/complaint-handling');
  await page.reload();
}

/** The shipped process with a policy on the user task "Dispatch" that names an unknown calendar (mars-office). */
export function withUnknownCalendar(shipped: string): string {
  // the shipped Dispatch task has extension elements already: the policy goes beside its assignment
  const broken = shipped.replace(
    /(<bpmn:userTask id="Dispatch" [\s\S]*?<zeebe:assignmentDefinition candidateGroups="dispatch" \/>)/,
    '$1\n        <sla:policies><sla:policy id="dispatch" metric="element" calendar="mars-office"><sla:target duration="PT2H" /></sla:policy></sla:policies>',
  );
  expect(broken).toContain('mars-office');
  return broken;
}

/** Opens `xml` in the designer through its file input, as a file named `name`. */
export async function openFile(page: Page, name: string, xml: string): Promise<void> {
  // Handed over as bytes: no file left behind in the temp folder.
  await page.setInputFiles('#designer-file', { name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
}
