import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFormatter, JsonFormatter, TextFormatter } from './formatter.js';
import { utcTimeZone } from './strftime.js';
import { int, str, type MapSnapshot } from './value.js';

const text = new TextFormatter({ timeZone: utcTimeZone });
const json = new JsonFormatter({ timeZone: utcTimeZone });

// 21:37:14 UTC
const AT = 1_795_297_034_000_000_000n;

describe('message output, as bpftrace 0.17 prints it', () => {
  it('announces attached probes', () => {
    assert.equal(text.attachedProbes(1), 'Attaching 1 probe...\n');
    assert.equal(text.attachedProbes(3), 'Attaching 3 probes...\n');
    assert.equal(json.attachedProbes(1), '{"type": "attached_probes", "data": {"probes": 1}}\n');
  });

  it('reports lost events', () => {
    assert.equal(text.lostEvents(12), 'Lost 12 events\n');
    assert.equal(json.lostEvents(12n), '{"type": "lost_events", "data": {"events": 12}}\n');
  });

  it('prints time() without adding a newline', () => {
    // time() defaults to "%H:%M:%S\n"; the newline is the format's.
    assert.equal(text.time('%H:%M:%S\n', AT), '21:37:14\n');
    assert.equal(text.time('%Y|', AT), '2026|');
    assert.equal(json.time('%H:%M:%S\n', AT), '{"type": "time", "data": "21:37:14\\n"}\n');
    assert.equal(json.time('%Y|', AT), '{"type": "time", "data": "2026|"}\n');
  });

  it('wraps printf output in JSON with bpftrace escapes', () => {
    assert.equal(text.printf('%s|%s\n', [str('a"b'), str('tab\there')]), 'a"b|tab\there\n');
    assert.equal(
      json.printf('%s|%s\n', [str('a"b'), str('tab\there')]),
      '{"type": "printf", "data": "a\\"b|tab\\there\\n"}\n',
    );
    assert.equal(json.printf('no newline', []), '{"type": "printf", "data": "no newline"}\n');
  });

  it('adds a newline to join() only, in text mode', () => {
    assert.equal(text.message('join', 'a b'), 'a b\n');
    assert.equal(text.message('cat', 'line\n'), 'line\n');
    assert.equal(text.message('syscall', 'out\n'), 'out\n');
    assert.equal(json.message('join', 'a b'), '{"type": "join", "data": "a b"}\n');
    assert.equal(json.message('cat', 'line\n'), '{"type": "cat", "data": "line\\n"}\n');
  });

  it('escapes control characters as \\u00XX and keeps non-ASCII text as is', () => {
    // bpftrace 0.17 writes bytes >= 0x80 as sign-extended "\uffffffc3", which is not JSON.
    assert.equal(json.value(str('\x01\x1f\x7f é')), '{"type": "value", "data": "\\u0001\\u001f\x7f é"}\n');
  });
});

describe('exit dump', () => {
  const b: MapSnapshot = { kind: 'plain', name: '@b', entries: [{ key: [], value: int(2) }] };
  const a: MapSnapshot = { kind: 'plain', name: '@a', entries: [{ key: [], value: int(1) }] };
  const unnamed: MapSnapshot = { kind: 'plain', name: '@', entries: [{ key: [], value: int(0) }] };

  it('prints two newlines, then the maps by name', () => {
    assert.equal(text.exitDump([b, a, unnamed]), '\n\n@: 0\n@a: 1\n@b: 2\n');
    assert.equal(
      json.exitDump([b, a]),
      '\n\n{"type": "map", "data": {"@a": 1}}\n{"type": "map", "data": {"@b": 2}}\n',
    );
  });

  it('creates the formatter for -f', () => {
    assert.ok(createFormatter('json') instanceof JsonFormatter);
    assert.ok(createFormatter('text') instanceof TextFormatter);
  });
});
