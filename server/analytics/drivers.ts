/**
 * GET /api/analytics/drivers: what drives low scores. Each evaluation was counted against the
 * path its complaint took (every element it visited, with the time spent there) and against
 * its departments, engineer and outlet; this sums a period of it: per element and per key the
 * evaluations, the share of low scores, their tags and the time spent.
 */
import type { Cell, Dim } from './model';
import { readPeriod, sumByKey, type CellFilter, type RollupSource } from './rollups';

export interface DriverRow {
  key: string;
  name: string;
  evaluations: number;
  low: number;
  lowScoreShare: number | null;
  satisfaction: number | null;
  /** Tags of the low scores, most frequent first. */
  tags: Array<{ tag: string; count: number }>;
  /** Mean time spent (element: in the element; others: filing to evaluation), all and low-scored. */
  meanMs: number | null;
  meanMsLow: number | null;
}

export interface ElementDriver extends DriverRow { definitionKey: string; elementId: string }

export interface Drivers {
  from: string;
  to: string;
  elements: ElementDriver[];
  department: DriverRow[];
  engineer: DriverRow[];
  outlet: DriverRow[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function driverRow(key: string, name: string, c: Required<Cell>): DriverRow {
  return {
    key, name, evaluations: c.e, low: c.lo,
    lowScoreShare: c.e ? round(c.lo / c.e, 4) : null,
    satisfaction: c.e ? round(c.es / c.e) : null,
    tags: Object.entries(c.tg).map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    meanMs: c.e ? Math.round(c.ms / c.e) : null,
    meanMsLow: c.lo ? Math.round(c.mslo / c.lo) : null,
  };
}

const byLowShare = (a: DriverRow, b: DriverRow) => (b.lowScoreShare ?? -1) - (a.lowScoreShare ?? -1) || b.evaluations - a.evaluations || a.key.localeCompare(b.key);

export async function drivers(models: RollupSource, q: CellFilter & { from: string; to: string; definitionKey?: string | undefined }, names: Map<string, string>): Promise<Drivers> {
  const read = async (dim: Dim) => [...sumByKey(await readPeriod(models, dim, q.from, q.to), q)].filter(([, c]) => c.e > 0);
  const [elements, department, engineer, outlet] = await Promise.all((['element', 'department', 'engineer', 'outlet'] as const).map(read));
  return {
    from: q.from, to: q.to,
    elements: elements!
      .map(([key, c]) => {
        const at = key.indexOf(':');
        return { ...driverRow(key, key.slice(at + 1), c), definitionKey: key.slice(0, at), elementId: key.slice(at + 1) };
      })
      .filter((e) => q.definitionKey === undefined || e.definitionKey === q.definitionKey)
      .sort(byLowShare),
    department: department!.map(([k, c]) => driverRow(k, names.get(k) ?? k, c)).sort(byLowShare),
    engineer: engineer!.map(([k, c]) => driverRow(k, names.get(k) ?? k, c)).sort(byLowShare),
    outlet: outlet!.map(([k, c]) => driverRow(k, names.get(k) ?? k, c)).sort(byLowShare),
  };
}
