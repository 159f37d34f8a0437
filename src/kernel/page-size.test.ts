import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAuxvPageSize, pageSize } from './page-size.js';

test('the page size comes from AT_PAGESZ in the auxiliary vector', () => {
  const auxv = new Uint8Array(48);
  const view = new DataView(auxv.buffer);
  view.setBigUint64(0, 33n, true); // AT_SYSINFO_EHDR, to be skipped
  view.setBigUint64(8, 0x7fff0000n, true);
  view.setBigUint64(16, 6n, true);
  view.setBigUint64(24, 16384n, true);
  assert.equal(parseAuxvPageSize(auxv), 16384);
  assert.equal(parseAuxvPageSize(new Uint8Array(16)), undefined);
  assert.ok([4096, 16384, 65536].includes(pageSize()));
  // Another architecture reads this machine's auxiliary vector, which agrees with the fixed x86 size here.
  assert.equal(pageSize('arm64'), parseAuxvPageSize(readFileSync('/proc/self/auxv')));
  if (process.arch === 'x64') assert.equal(pageSize('arm64'), pageSize());
});
