/**
 * Ports for the servers tests start. `freePort()` asks the OS, which hands out the same ephemeral
 * range to every `listen(0)` and outgoing connection on the machine: a port picked there can be
 * taken by another jest worker's Temporal or PostgreSQL before the service binds it seconds later
 * (a CI run lost a test that way: FerretDB found its port taken and the check for "listening"
 * reached the other server). Test ports come from below that range instead, a slice per jest
 * worker, so nothing else picks them in between.
 */
import { freePortIn } from '../../server/infra/ports';

const FIRST = 20_000;
const SLICE = 500;
const SLICES = 25; // 20000-32499, below Linux's ephemeral 32768

const worker = Number(process.env.JEST_WORKER_ID ?? 0) % SLICES;
const from = FIRST + worker * SLICE;
const to = from + SLICE - 1;
// Test files of one worker each load this module afresh: a random start keeps them apart too.
let next = from + Math.floor(Math.random() * SLICE);

/** A free loopback port of this jest worker's slice, not handed out twice by this module. */
export async function testPort(): Promise<number> {
  const port = await freePortIn(from, to, next);
  next = port + 1 > to ? from : port + 1;
  return port;
}
