/**
 * Deploying DMN files from the designer: the decisions that business rule tasks call
 * (`zeebe:calledDecision`), one POST /api/decisions per file (decision 0036). A refused file's
 * problems go to the problems panel, each naming its decision, input, output or rule.
 */
import { ApiError, request } from '../../core/api';
import { t } from '../../i18n';
import { problemsOf, type ServerProblems } from './problems';

interface DeployedDecision { decisionId: string; version: number; created: boolean }

export async function deployDecisionFiles(files: readonly File[], problems: ServerProblems, say: (text: string, kind?: 'ok' | 'error' | '') => void): Promise<void> {
  problems.clear();
  const done: string[] = [];
  for (const file of files) {
    try {
      const answer = await request<{ decisions: DeployedDecision[] }>('POST', '/api/decisions', {
        body: await file.text(), contentType: 'application/xml', query: { resourceName: file.name },
      });
      for (const d of answer.decisions) done.push(t(d.created ? 'designer.decisionDeployed' : 'designer.decisionUnchanged', { id: d.decisionId, version: d.version }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && Array.isArray(err.body.errors)) {
        const found = problemsOf(err);
        problems.show(found);
        say(t('designer.decisionsRefused', { file: file.name, count: found.length }), 'error');
      } else {
        say(t('designer.deployError', { message: (err as Error).message }), 'error');
      }
      return;
    }
  }
  say(done.join(' '), 'ok');
}
