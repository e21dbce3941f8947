import { printSuiteCoverage } from './bpmnCoverage';

export default async function globalTeardown(): Promise<void> {
  // Before the servers stop: what the suite's runs covered of the shipped diagrams (CI prints it).
  if (globalThis.__testServers) await printSuiteCoverage(globalThis.__testServers.mongoUri);
  await globalThis.__testServers?.stop();
}
