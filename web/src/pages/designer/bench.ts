/**
 * `npm run bench:web`'s hook: with `?bench` in the address, the designer page exposes
 * `window.benchImport(xml)`, which builds a designer modeler (every module, linting on) in the
 * page, imports the diagram and resolves with the milliseconds until the browser has painted.
 * Compared with the bare modeler of web/src/bench/bareModeler.ts, measured the same way.
 */
import { createDesignerModeler } from './modeler';

declare global {
  interface Window { benchImport?: (xml: string) => Promise<number> }
}

export function exposeBenchHook(container: HTMLElement, propertiesParent: HTMLElement): () => void {
  window.benchImport = async (xml: string) => {
    const modeler = createDesignerModeler({ container, propertiesParent });
    const started = performance.now();
    await modeler.importXML(xml);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const ms = performance.now() - started;
    modeler.destroy();
    return ms;
  };
  return () => { delete window.benchImport; };
}
