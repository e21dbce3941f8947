// dmn-moddle ships no types; this covers what processes/dmn/parse.ts calls. Elements are read
// as loose records there.
declare module 'dmn-moddle' {
  export interface DmnModdleWarning {
    message: string;
    element?: { id?: string; $type?: string };
  }
  export interface DmnParseResult {
    rootElement: unknown;
    elementsById: Record<string, unknown>;
    warnings: DmnModdleWarning[];
  }
  export interface DmnModdleInstance {
    fromXML(xml: string, typeName?: string): Promise<DmnParseResult>;
  }
  /** A factory: the DMN 1.3 packages plus `additionalPackages`. */
  export function DmnModdle(additionalPackages?: Record<string, unknown>): DmnModdleInstance;
}
