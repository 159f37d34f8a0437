import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, FakeSys } from '../sys/index.js';
import { inventoryDiff, listMaps, type Inventory } from './inventory.js';

test('the diff holds only what appeared after the first inventory', () => {
  const item = (id: number, name: string) => ({ id, type: 1, typeName: 'HASH', name });
  const before: Inventory = { programs: [item(1, 'old')], maps: [item(5, 'kept')], links: [] };
  const after: Inventory = {
    programs: [item(1, 'old'), item(2, 'new')],
    maps: [],
    links: [{ ...item(9, 'new'), programId: 2 }],
  };
  assert.deepEqual(inventoryDiff(before, after), {
    programs: [item(2, 'new')],
    maps: [],
    links: [{ ...item(9, 'new'), programId: 2 }],
  });
});

test('an object that vanishes between listing its id and opening it is skipped', () => {
  const sys = new FakeSys();
  sys.onBpf = (cmd, attr) => {
    const view = new DataView(attr.buffer, attr.byteOffset);
    if (cmd === BpfCommand.MAP_GET_NEXT_ID) {
      const start = view.getUint32(0, true);
      if (start >= 2) return { errno: 'ENOENT' };
      view.setUint32(4, start + 1, true);
      return 0;
    }
    if (cmd === BpfCommand.MAP_GET_FD_BY_ID) return view.getUint32(0, true) === 1 ? { errno: 'ENOENT' } : undefined;
    return 0;
  };
  const maps = listMaps(sys);
  assert.equal(maps.length, 1, 'map 1 vanished, map 2 is listed');
  assert.equal(sys.openFds.size, 0, 'every fd opened for the listing is closed');
});
