import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MapType, ProgramType, linuxSys, rawTracepointOpen } from '../sys/index.js';
import { inventoryDiff, listLinks, listMaps, listPrograms, takeInventory } from './inventory.js';
import { BpfMap } from './map.js';
import { Program } from './program.js';
import { RETURN_ZERO } from './testing/instructions.js';

test('a loaded program and a created map show up system-wide, and are gone once closed', () => {
  const before = takeInventory();
  const map = BpfMap.create({ name: 'kt_inv_map', type: MapType.ARRAY, keySize: 4, valueSize: 4, maxEntries: 1 });
  const program = Program.load({ name: 'kt_inv_prog', type: ProgramType.TRACEPOINT, instructions: RETURN_ZERO, license: 'GPL' });
  const mapId = map.info().id;
  const programId = program.info().id;
  try {
    assert.deepEqual(listMaps().find((m) => m.id === mapId), { id: mapId, type: MapType.ARRAY, typeName: 'ARRAY', name: 'kt_inv_map' });
    assert.deepEqual(listPrograms().find((p) => p.id === programId),
      { id: programId, type: ProgramType.TRACEPOINT, typeName: 'TRACEPOINT', name: 'kt_inv_prog' });
    // Other processes may load objects meanwhile, so only ours are checked for.
    const added = inventoryDiff(before, takeInventory());
    assert.ok(added.maps.some((m) => m.id === mapId));
    assert.ok(added.programs.some((p) => p.id === programId));
    assert.equal(inventoryDiff(takeInventory(), takeInventory()).maps.some((m) => m.id === mapId), false);
  } finally {
    map.close();
    program.close();
  }
  assert.equal(listMaps().find((m) => m.id === mapId), undefined);
  assert.equal(listPrograms().find((p) => p.id === programId), undefined);
});

test('an attached raw tracepoint shows up as a link naming its program', () => {
  const sys = linuxSys();
  const program = Program.load({ name: 'kt_inv_link', type: ProgramType.RAW_TRACEPOINT, instructions: RETURN_ZERO, license: 'GPL' });
  const programId = program.info().id;
  try {
    const linkFd = rawTracepointOpen(sys, 'sys_enter', program.fd);
    let link;
    try {
      link = listLinks().find((l) => l.programId === programId);
    } finally {
      sys.close(linkFd);
    }
    assert.ok(link, 'the link is listed');
    assert.equal(link.typeName, 'RAW_TRACEPOINT');
    assert.equal(link.name, 'kt_inv_link');
    assert.equal(listLinks().find((l) => l.id === link.id), undefined, 'closing the fd detaches it');
  } finally {
    program.close();
  }
});
