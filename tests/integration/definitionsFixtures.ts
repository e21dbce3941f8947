/** BPMN documents for the definitions tests: start -> tasks -> end, with a diagram layout. */

export interface ProcessSpec {
  id: string;
  name?: string;
  /** Plain tasks between start and end; their names are part of the executable model ('' = unnamed, a warning). */
  tasks?: string[];
  /** Moves every shape right by this many pixels: a layout-only change. */
  shiftX?: number;
  /** A service task with this type after the tasks (an expression type, `=…`, makes the document invalid; an unknown static type is served by external workers). */
  serviceTaskType?: string;
}

function processXml({ id, name, tasks = ['Review'], serviceTaskType }: ProcessSpec): string {
  const nodes: Array<{ id: string; tag: string; name: string; extra?: string }> = [
    { id: `${id}_start`, tag: 'startEvent', name: 'Complaint received' },
    ...tasks.map((t, i) => ({ id: `${id}_task${i}`, tag: 'task', name: t })),
    ...(serviceTaskType
      ? [{ id: `${id}_service`, tag: 'serviceTask', name: 'Call', extra: `<bpmn:extensionElements><zeebe:taskDefinition type="${serviceTaskType}" /></bpmn:extensionElements>` }]
      : []),
    { id: `${id}_end`, tag: 'endEvent', name: 'Done' },
  ];
  const elements = nodes.map((n, i) => {
    const incoming = i > 0 ? `<bpmn:incoming>${id}_f${i - 1}</bpmn:incoming>` : '';
    const outgoing = i < nodes.length - 1 ? `<bpmn:outgoing>${id}_f${i}</bpmn:outgoing>` : '';
    const label = n.name ? ` name="${n.name}"` : '';
    return `    <bpmn:${n.tag} id="${n.id}"${label}>${n.extra ?? ''}${incoming}${outgoing}</bpmn:${n.tag}>`;
  });
  const flows = nodes.slice(1).map((n, i) => `    <bpmn:sequenceFlow id="${id}_f${i}" sourceRef="${nodes[i]!.id}" targetRef="${n.id}" />`);
  const nameAttr = name === undefined ? '' : ` name="${name}"`;
  return `  <bpmn:process id="${id}"${nameAttr} isExecutable="true">\n${[...elements, ...flows].join('\n')}\n  </bpmn:process>`;
}

function shapesXml({ id, tasks = ['Review'], serviceTaskType, shiftX = 0 }: ProcessSpec, row: number): string {
  const ids = [`${id}_start`, ...tasks.map((_, i) => `${id}_task${i}`), ...(serviceTaskType ? [`${id}_service`] : []), `${id}_end`];
  return ids
    .map((el, i) => `      <bpmndi:BPMNShape id="${el}_di" bpmnElement="${el}"><dc:Bounds x="${100 + shiftX + i * 150}" y="${100 + row * 200}" width="100" height="80" /></bpmndi:BPMNShape>`)
    .join('\n');
}

/** A document with the given processes (one BPMNPlane over all of them). */
export function bpmn(...processes: ProcessSpec[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
${processes.map(processXml).join('\n')}
  <bpmndi:BPMNDiagram id="Diagram_1">
    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="${processes[0]?.id ?? ''}">
${processes.map(shapesXml).join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** POSTs a document to /api/definitions as the server's admin. */
export function deploy(server: { url: string; token: string }, xml: string | Uint8Array, contentType = 'application/xml', query = ''): Promise<Response> {
  return fetch(`${server.url}/api/definitions${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${server.token}` },
    body: typeof xml === 'string' ? xml : Buffer.from(xml),
  });
}
