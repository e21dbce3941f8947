/**
 * Lint after an import, when the browser is idle, instead of inside it: bpmn-js-bpmnlint lints
 * synchronously on `import.done`, which on a large diagram delays the first paint by the whole
 * lint run (bench:web). During an import the linter gets an empty rule set; once the diagram is
 * painted and the browser idle, our rules are set again, which lints (`linting.configChanged`).
 * Edits after that are linted as before, on `elements.changed`.
 */
interface LinterConfig { config: unknown; resolver: unknown }
interface Linting { setLinterConfig(config: LinterConfig): void }
interface EventBus { on(event: string, callback: () => void): void }

const whenIdle = (callback: () => void): void => {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(callback, { timeout: 1000 });
  else window.setTimeout(callback, 50);
};

export function idleLintingModule(rules: LinterConfig): Record<string, unknown> {
  const none: LinterConfig = { config: { rules: {} }, resolver: rules.resolver };
  function IdleLinting(eventBus: EventBus, linting: Linting): void {
    let generation = 0;
    eventBus.on('import.parse.start', () => {
      generation += 1;
      linting.setLinterConfig(none);
    });
    eventBus.on('import.done', () => {
      const mine = generation;
      whenIdle(() => { if (mine === generation) linting.setLinterConfig(rules); });
    });
    eventBus.on('diagram.destroy', () => { generation += 1; });
  }
  IdleLinting.$inject = ['eventBus', 'linting'];
  return { __init__: ['idleLinting'], idleLinting: ['type', IdleLinting] };
}
