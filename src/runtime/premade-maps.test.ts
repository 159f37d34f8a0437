import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScriptMap } from '../compiler/compiled-script.js';
import { EVENTS_RING } from '../compiler/index.js';
import { FakeSys, MapType, readU32 } from '../sys/index.js';
import { PremadeMaps } from './premade-maps.js';

const internal = { keyType: null, value: null };
const counts: ScriptMap = { name: '@', bpfName: 'm0_anon', type: MapType.PERCPU_HASH, keySize: 8, valueSize: 8, maxEntries: 4096, flags: 0, ...internal };
const table: ScriptMap = { name: '.table0', bpfName: 'table0', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, ...internal, initial: [] };
const refused: ScriptMap = { ...counts, name: '@big', bpfName: 'm1_big', maxEntries: 1 << 20 };

test('premade maps: the ring buffer and the script\'s maps are made, a refused one is left to loading, all are closed', async () => {
  const sys = new FakeSys();
  // MAP_CREATE's max_entries is at byte 12 of its attributes.
  sys.onBpf = (_cmd, attr) => (readU32(attr, 12) === 1 << 20 ? { errno: 'ENOMEM' } : undefined);
  const premade = new PremadeMaps(sys);
  premade.startEventsRing();
  premade.startMaps([counts, table, refused]);
  const made = await premade.ready();
  assert.deepEqual([...made.keys()].sort(), [EVENTS_RING.bpfName, 'm0_anon']);
  assert.equal(made.get('m0_anon')?.spec.type, MapType.PERCPU_HASH);
  assert.equal(sys.openFds.size, 2);
  await premade.close();
  assert.equal(sys.openFds.size, 0);
});
