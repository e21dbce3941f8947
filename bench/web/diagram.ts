/**
 * A large, clean BPMN diagram with DI for bench:web: a start event, then segments of
 * exclusive split → two tasks → join → service task, laid out on a grid (rows that wrap), then
 * an end event. Conditions, default flows and labels are set so our lint rules find nothing to
 * report: the bench measures a diagram a designer would really open.
 */
const SEGMENT_ELEMENTS = 11; // 5 nodes + 6 flows
const PER_ROW = 8;
const SEGMENT_WIDTH = 520;
const ROW_HEIGHT = 260;

interface Node { id: string; xml: string; di: string; x: number; y: number; w: number; h: number }

export function generateDiagram(flowElements: number): { xml: string; flowElements: number } {
  const segments = Math.max(1, Math.ceil((flowElements - 3) / SEGMENT_ELEMENTS));
  const nodes: Node[] = [];
  const flows: string[] = [];
  const edges: string[] = [];
  const node = (id: string, tag: string, x: number, y: number, w: number, h: number, inner = '', attrs = '') => {
    const n = { id, x, y, w, h, xml: `<bpmn:${tag} id="${id}" name="${id}"${attrs}>${inner}</bpmn:${tag}>`, di: '' };
    n.di = `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"${tag === 'exclusiveGateway' ? ' isMarkerVisible="true"' : ''}><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
    nodes.push(n);
    return n;
  };
  let flowCount = 0;
  const flow = (from: Node, to: Node, extra: { name?: string; condition?: string } = {}) => {
    const id = `Flow_${++flowCount}`;
    const name = extra.name ? ` name="${extra.name}"` : '';
    const body = extra.condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${extra.condition}</bpmn:conditionExpression>` : '';
    flows.push(`<bpmn:sequenceFlow id="${id}" sourceRef="${from.id}" targetRef="${to.id}"${name}>${body}</bpmn:sequenceFlow>`);
    const a = { x: from.x + from.w, y: from.y + from.h / 2 };
    const b = { x: to.x, y: to.y + to.h / 2 };
    const points = a.y === b.y ? [a, b]
      : b.x > a.x ? [a, { x: (a.x + b.x) / 2, y: a.y }, { x: (a.x + b.x) / 2, y: b.y }, b]
        : [a, { x: a.x + 20, y: a.y }, { x: a.x + 20, y: a.y + ROW_HEIGHT / 2 }, { x: b.x - 20, y: a.y + ROW_HEIGHT / 2 }, { x: b.x - 20, y: b.y }, b];
    edges.push(`<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map((p) => `<di:waypoint x="${p.x}" y="${p.y}" />`).join('')}</bpmndi:BPMNEdge>`);
    return id;
  };
  const start = node('Start', 'startEvent', 40, 142, 36, 36);
  let previous: Node = start;
  for (let s = 0; s < segments; s += 1) {
    const row = Math.floor(s / PER_ROW);
    const x0 = 120 + (s % PER_ROW) * SEGMENT_WIDTH;
    const y0 = 80 + row * ROW_HEIGHT; // top of the segment's band
    const mid = y0 + 80;
    const defaultId = `Flow_${flowCount + 3}`;
    const split = node(`Split_${s}`, 'exclusiveGateway', x0, mid - 25, 50, 50, '', ` default="${defaultId}"`);
    const upper = node(`Check_${s}`, 'task', x0 + 90, mid - 90, 100, 80);
    const lower = node(`Handle_${s}`, 'task', x0 + 90, mid + 10, 100, 80);
    const join = node(`Join_${s}`, 'exclusiveGateway', x0 + 230, mid - 25, 50, 50);
    const record = node(`Record_${s}`, 'serviceTask', x0 + 320, mid - 40, 100, 80,
      '<bpmn:extensionElements><zeebe:taskDefinition type="variables.set" /></bpmn:extensionElements>');
    flow(previous, split);
    flow(split, upper, { name: 'high', condition: `=score &gt; ${s}` });
    flow(split, lower, { name: 'otherwise' }); // the default flow (Flow_<n+3>)
    flow(upper, join);
    flow(lower, join);
    flow(join, record);
    previous = record;
  }
  const lastRow = Math.floor((segments - 1) / PER_ROW);
  const end = node('End', 'endEvent', 120 + (((segments - 1) % PER_ROW) + 1) * SEGMENT_WIDTH - 60, 80 + lastRow * ROW_HEIGHT + 62, 36, 36);
  flow(previous, end);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Bench" targetNamespace="http://example.com/bench">
  <bpmn:process id="bench-large" name="Bench large" isExecutable="true">
    ${nodes.map((n) => n.xml).join('\n    ')}
    ${flows.join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="bench-large">
    ${nodes.map((n) => n.di).join('\n    ')}
    ${edges.join('\n    ')}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
  return { xml, flowElements: nodes.length + flows.length };
}
