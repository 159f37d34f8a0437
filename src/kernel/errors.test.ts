import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedFeatureError } from './errors.js';

test('the message names the feature, the reason and, when known, the first kernel that has it', () => {
  const cause = new Error('ENOENT');
  const error = new UnsupportedFeatureError('kprobes', 'this kernel is built without CONFIG_KPROBES', '4.1', { cause });
  assert.equal(error.message, 'kprobes is not available: this kernel is built without CONFIG_KPROBES (needs Linux 4.1 or later)');
  assert.equal(error.name, 'UnsupportedFeatureError');
  assert.equal(error.cause, cause);
  assert.equal(new UnsupportedFeatureError('fentry', 'refused by lockdown').message, 'fentry is not available: refused by lockdown');
});
