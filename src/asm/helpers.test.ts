import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Helper, helperName } from './helpers.js';

test('helper ids follow the kernel UAPI numbering', () => {
  assert.equal(Helper.map_lookup_elem, 1);
  assert.equal(Helper.trace_printk, 6);
  assert.equal(Helper.get_current_pid_tgid, 14);
  assert.equal(Helper.perf_event_output, 25);
  assert.equal(Helper.probe_read_kernel, 113);
  assert.equal(Helper.ringbuf_reserve, 131);
  assert.equal(Helper.user_ringbuf_drain, 209);
  assert.equal(Helper.cgrp_storage_delete, 211);
});

test('ids are dense from 0, so the table has no gaps or duplicates', () => {
  const ids = Object.values(Helper).sort((a, b) => a - b);
  assert.deepEqual(ids, ids.map((_, i) => i));
});

test('helperName maps ids back to names', () => {
  assert.equal(helperName(1), 'map_lookup_elem');
  assert.equal(helperName(Helper.ringbuf_submit), 'ringbuf_submit');
  assert.equal(helperName(212), undefined);
  assert.equal(helperName(-1), undefined);
});
