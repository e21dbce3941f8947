/** Whether a bpmn-js canvas shows its whole diagram, and big enough to read (fitted to the viewport). */
import type { Page } from 'playwright-core';

export async function diagramFitted(page: Page, container: string): Promise<{ inside: boolean; fills: boolean }> {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector)!.querySelector('.djs-container') ?? document.querySelector(selector)!;
    const frame = host.getBoundingClientRect();
    const shapes = Array.from(host.querySelectorAll('g.djs-element.djs-shape > .djs-visual')).map((s) => s.getBoundingClientRect()).filter((r) => r.width > 0);
    const left = Math.min(...shapes.map((r) => r.left));
    const right = Math.max(...shapes.map((r) => r.right));
    const top = Math.min(...shapes.map((r) => r.top));
    const bottom = Math.max(...shapes.map((r) => r.bottom));
    const inside = shapes.length > 0 && left >= frame.left - 1 && right <= frame.right + 1 && top >= frame.top - 1 && bottom <= frame.bottom + 1;
    // fitted: the diagram spans most of the frame's width or height (not a speck in a corner)
    const fills = (right - left) >= frame.width * 0.6 || (bottom - top) >= frame.height * 0.6;
    return { inside, fills };
  }, container);
}
