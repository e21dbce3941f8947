/**
 * Deploying the open diagram: POST /api/definitions; a change that needs a second publisher
 * waits (202, four-eyes); the server's problems are shown on the elements (422).
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { ApiError, request } from '../../core/api';
import { t } from '../../i18n';
import type { DesignerDocument } from './document';
import { problemsOf, type ServerProblems } from './problems';
import type { DesignerView } from './view';

interface Deployed { key: string; version: number; created: boolean }
type DeployAnswer = Deployed | { definitions: Deployed[] } | { id: string; status: 'pending' };

export async function deployDiagram(modeler: Modeler, doc: DesignerDocument, view: DesignerView, problems: ServerProblems, refreshVersions: () => Promise<void>): Promise<void> {
  const { deployButton, say } = view;
  deployButton.disabled = true;
  deployButton.textContent = t('designer.deploying');
  problems.clear();
  say('');
  try {
    const { xml } = await modeler.saveXML({ format: true });
    const currentKey = doc.diagramKey() ?? 'diagram';
    const answer = await request<DeployAnswer>('POST', '/api/definitions', {
      body: xml ?? '', contentType: 'application/xml', query: { resourceName: `${currentKey}.bpmn` },
    });
    if ('status' in answer && answer.status === 'pending') {
      say(t('designer.proposed', { id: answer.id }), 'ok');
      return;
    }
    const deployed = 'definitions' in answer ? answer.definitions.find((d) => d.key === currentKey) ?? answer.definitions[0] : 'key' in answer ? answer : undefined;
    if (!deployed) return;
    doc.deployed(deployed.key, deployed.version);
    say(t(deployed.created ? 'designer.deployed' : 'designer.unchanged', { key: deployed.key, version: deployed.version }), 'ok');
    await refreshVersions();
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      const found = problemsOf(err);
      problems.show(found);
      say(t('designer.deployFailed', { count: found.length }), 'error');
    } else {
      say(t('designer.deployError', { message: (err as Error).message }), 'error');
    }
  } finally {
    deployButton.disabled = false;
    deployButton.textContent = t('designer.deploy');
  }
}
