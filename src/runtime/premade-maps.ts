// Maps made ahead of loading, on worker threads, while the main thread reads, parses and compiles the
// script. The kernel takes ~1 ms to create the 4 MB events ring buffer, which every compiled script
// has (compiler EVENTS_RING), and about as long for a preallocated hash map of 4096 keys; the CLI
// starts the ring first thing and the script's own maps as soon as the compiler knows them (its
// `onMaps` option), before code generation. Session.load takes the finished ones over.
import { EVENTS_RING } from '../compiler/index.js';
import type { ScriptMap } from '../compiler/compiled-script.js';
import { BpfMap, type MapSpec } from '../kernel/index.js';
import { linuxSys, type Sys } from '../sys/index.js';
import { mapSpecOf } from './loaded-script.js';

export class PremadeMaps {
  private readonly pending: Promise<BpfMap | undefined>[] = [];

  constructor(private readonly sys?: Sys) {}

  /** Starts creating the events ring buffer. */
  startEventsRing(): void {
    this.start({ ...EVENTS_RING, name: EVENTS_RING.bpfName });
  }

  /** Starts creating these maps; those with entries to write first are left to loading. */
  startMaps(maps: readonly ScriptMap[]): void {
    for (const map of maps) if (map.initial === undefined) this.start(mapSpecOf(map));
  }

  /**
   * The maps made, by kernel name, for Session.load. One that failed is missing: loading creates it
   * again and reports why it cannot.
   */
  async ready(): Promise<ReadonlyMap<string, BpfMap>> {
    const made = await Promise.all(this.pending);
    return new Map(made.filter((map) => map !== undefined).map((map) => [map.spec.name, map]));
  }

  /** Closes every map made, whether or not a session took it over (closing twice is harmless). */
  async close(): Promise<void> {
    for (const map of await Promise.all(this.pending)) map?.close();
  }

  private start(spec: MapSpec): void {
    this.pending.push((async () => {
      try {
        return await BpfMap.createAsync(spec, this.sys ?? linuxSys());
      } catch {
        return undefined;
      }
    })());
  }
}
