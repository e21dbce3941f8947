/** One finding about a document, in a shape the server, the CLI and the modeler all show. */
export interface Problem {
  /** The BPMN element the problem is about; null only for document-level problems. */
  elementId: string | null;
  elementType: string | null;
  message: string;
  severity: 'error' | 'warning';
  /** The lint rule that reported it, when it came from the linter. */
  rule?: string;
}

/** Collects problems while translating; translators never throw for bad input. */
export class Problems {
  readonly list: Problem[] = [];

  error(elementId: string | null, elementType: string | null, message: string): void {
    this.list.push({ elementId, elementType, message, severity: 'error' });
  }

  warning(elementId: string | null, elementType: string | null, message: string): void {
    this.list.push({ elementId, elementType, message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }
}
