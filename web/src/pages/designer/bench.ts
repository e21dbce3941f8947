/**
 * `npm run bench:web`'s hook: with `?bench` in the address, the designer page exposes
 * `window.benchImport(xml)`, which builds a designer modeler (every module, linting on) in the
 * page, imports the diagram and resolves with the milliseconds until the browser has painted.
 * Compared with the bare modeler of web/src/bench/bareModeler.ts, measured the same way.
 * `without` leaves parts out, for the bench's breakdown of where the time goes.
 */
import { createDesignerModeler, type DesignerModelerOptions } from './modeler';

type Without = NonNullable<DesignerModelerOptions['without']>;

type Hook = { benchImport?: (xml: string, without?: Without) => Promise<number> };

export function exposeBenchHook(container: HTMLElement, propertiesParent: HTMLElement): () => void {
  const host = window as unknown as Hook;
  host.benchImport = async (xml: string, without: Without = []) => {
    const modeler = createDesignerModeler({ container, propertiesParent, without });
    const started = performance.now();
    await modeler.importXML(xml);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const ms = performance.now() - started;
    modeler.destroy();
    return ms;
  };
  return () => { delete host.benchImport; };
}
