// The events ring buffer, made before the script is compiled. Every compiled script has the same one
// (compiler EVENTS_RING), and the kernel takes ~1 ms to create its 4 MB, so the CLI starts creating
// it on a worker thread first thing and the compiler runs meanwhile; Session.load takes it over as a
// premade map.
import { EVENTS_RING } from '../compiler/index.js';
import { BpfMap } from '../kernel/index.js';
import { linuxSys, type Sys } from '../sys/index.js';

/**
 * Resolves with the premade maps for Session.load: the ring buffer, or none when creating it failed
 * (loading then creates it again and reports why it cannot).
 */
export async function startEventsRing(sys?: Sys): Promise<ReadonlyMap<string, BpfMap>> {
  try {
    const ring = await BpfMap.createAsync({ ...EVENTS_RING, name: EVENTS_RING.bpfName }, sys ?? linuxSys());
    return new Map([[EVENTS_RING.bpfName, ring]]);
  } catch {
    return new Map();
  }
}
