/**
 * Our bpmnlint rules and config for the browser: the same modules the server lints with at
 * deploy (processes/lint), bundled by esbuild, in the `{ config, resolver }` shape
 * bpmn-js-bpmnlint takes. The resolver is an explicit table, so no rule needs Node.
 */
import { LINT_CONFIG } from '../../../../processes/lint/config';
import { resolver } from '../../../../processes/lint/resolver';

export const bpmnlintConfig = { config: LINT_CONFIG, resolver };
