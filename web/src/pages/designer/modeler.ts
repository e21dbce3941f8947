/**
 * The designer's bpmn-js Modeler: the Zeebe properties panel, Camunda 8 behaviours, element
 * templates with the chooser, our bpmnlint rules live, the SLA policies (./sla/), and the app's language. Everything is
 * the libraries' own modules; this file only wires them.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import '@bpmn-io/element-template-chooser/dist/element-template-chooser.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import ElementTemplateChooserModule from '@bpmn-io/element-template-chooser';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import lintModule from 'bpmn-js-bpmnlint';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import slaModdle from '../../../../processes/sla/descriptor.json';
import { idleLintingModule } from './idleLinting';
import { slaPropertiesProviderModule } from './sla/provider';
import { bpmnlintConfig } from './lint';
import { translateModule } from './translate';

export interface DesignerModelerOptions {
  container: HTMLElement;
  propertiesParent: HTMLElement;
  /** Whether lint overlays show at once (the toggle changes it). */
  lintActive?: boolean;
  /** For bench:web's breakdown only: leave parts out to see what each costs. */
  without?: ReadonlyArray<'lint' | 'panel' | 'templates' | 'behaviours'>;
}

export function createDesignerModeler({ container, propertiesParent, lintActive = true, without = [] }: DesignerModelerOptions): Modeler {
  const panel = !without.includes('panel');
  const lint = !without.includes('lint');
  return new Modeler({
    container,
    ...(panel ? { propertiesPanel: { parent: propertiesParent } } : {}),
    ...(lint ? { linting: { active: lintActive } } : {}),
    // our SLA extension (docs/sla.md): imported diagrams keep their policies, saved XML carries them
    moddleExtensions: { zeebe: zeebeModdle, sla: slaModdle },
    additionalModules: [
      ...(panel ? [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, slaPropertiesProviderModule] : []),
      ...(without.includes('behaviours') ? [] : [ZeebeBehaviorsModule]),
      ...(panel && !without.includes('templates') ? [CloudElementTemplatesPropertiesProviderModule, ElementTemplateChooserModule] : []),
      // our rules, applied once the import has painted (./idleLinting.ts)
      ...(lint ? [lintModule, idleLintingModule(bpmnlintConfig)] : []),
      translateModule,
    ],
  } as ConstructorParameters<typeof Modeler>[0]);
}

/** A small, valid, executable diagram to start from. */
export function emptyDiagram(key: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Start" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${key}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
