/**
 * Diagram coverage of the test suite's runs (issue 16): at the end of the integration run
 * (globalTeardown) every database on the test FerretDB is read for instances of the shipped
 * processes and their element events, and the coverage of each shipped diagram is printed as
 * `bpmn_coverage_<process>: N %` with the untaken ids, so the CI log shows it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { trusted, type Connection } from 'mongoose';
import { compileBpmn } from '../../processes/compiler';
import { CoverageCounter, formatCoverage, type DiagramCoverage, type ElementEventRow } from '../../processes/simulation';
import { SHIPPED_PROCESSES } from '../../server/complaints/shippedProcesses';
import { projectionModels } from '../../server/projections/models';

const CHUNK = 2000;

async function counters(): Promise<Map<string, CoverageCounter>> {
  const out = new Map<string, CoverageCounter>();
  for (const shipped of SHIPPED_PROCESSES) {
    const compiled = await compileBpmn(readFileSync(path.join(__dirname, '../../processes', shipped.file)));
    const model = compiled.document?.processes.find((p) => p.id === shipped.key);
    if (!model) throw new Error(`${shipped.file} does not compile`);
    out.set(shipped.key, new CoverageCounter(model));
  }
  return out;
}

async function addDatabase(connection: Connection, byKey: Map<string, CoverageCounter>): Promise<void> {
  const { instances, elementEvents } = projectionModels(connection);
  const found = await instances.find({ definitionKey: trusted({ $in: [...byKey.keys()] }) }, { _id: 1, definitionKey: 1 }).lean<Array<{ _id: string; definitionKey: string }>>();
  for (let i = 0; i < found.length; i += CHUNK) {
    const chunk = found.slice(i, i + CHUNK);
    const events = await elementEvents.find({ instanceId: trusted({ $in: chunk.map((c) => c._id) }) }, { instanceId: 1, index: 1, elementId: 1, event: 1 })
      .lean<Array<ElementEventRow & { instanceId: string }>>();
    const perInstance = new Map<string, ElementEventRow[]>();
    for (const e of events) {
      const list = perInstance.get(e.instanceId);
      if (list) list.push(e);
      else perInstance.set(e.instanceId, [e]);
    }
    for (const instance of chunk) byKey.get(instance.definitionKey)?.addInstance(perInstance.get(instance._id) ?? []);
  }
}

/** The coverage of the shipped processes over the given databases (default: every database on the server). */
export async function suiteCoverage(mongoUri: string, only?: readonly string[]): Promise<DiagramCoverage[]> {
  const connection = await mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    const byKey = await counters();
    const names = only ?? (await connection.listDatabases()).databases.map((d) => d.name).filter((n) => !['admin', 'local', 'config'].includes(n));
    for (const name of names) await addDatabase(connection.useDb(name, { useCache: false }), byKey);
    return [...byKey.values()].map((c) => c.report());
  } finally {
    await connection.close();
  }
}

/** Prints the figures; never fails the run (a coverage report is not a test). */
export async function printSuiteCoverage(mongoUri: string, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  try {
    for (const report of await suiteCoverage(mongoUri)) for (const line of formatCoverage(report)) print(line);
  } catch (err) {
    print(`bpmn_coverage: not computed (${err instanceof Error ? err.message : String(err)})`);
  }
}
