/**
 * The baseline of `npm run bench:web`: a bpmn-js Modeler with nothing added, in the same
 * browser session as ours. `window.benchImport(xml)` resolves with milliseconds to import.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import Modeler from 'bpmn-js/lib/Modeler';

declare global {
  interface Window { benchImport?: (xml: string) => Promise<number> }
}

const container = document.getElementById('canvas');
if (!container) throw new Error('bench-bare.html has no #canvas');

window.benchImport = async (xml: string) => {
  const modeler = new Modeler({ container });
  const started = performance.now();
  await modeler.importXML(xml);
  // Rendering is done when the browser has painted: wait two frames.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const ms = performance.now() - started;
  modeler.destroy();
  return ms;
};
