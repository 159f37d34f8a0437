import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFormatter, int, str } from '../output/index.js';
import { OutputWriter } from './output-writer.js';

function writer(format: 'text' | 'json', quiet = false): { out: OutputWriter; log: string[] } {
  const log: string[] = [];
  const out = new OutputWriter({
    formatter: createFormatter(format),
    format,
    quiet,
    writeOut: (text) => log.push(`out:${text}`),
    writeErr: (text) => log.push(`err:${text}`),
  });
  return { out, log };
}

describe('OutputWriter', () => {
  it('writes a batch of script output with one write at flush', () => {
    const { out, log } = writer('text');
    out.event({ kind: 'printf', format: '%s %d\n', args: [str('a'), int(1)] });
    out.event({ kind: 'printf', format: '%s %d\n', args: [str('b'), int(2)] });
    assert.deepEqual(log, []);
    out.flush();
    out.flush();
    assert.deepEqual(log, ['out:a 1\nb 2\n']);
  });

  it('sends text-mode notices to stderr after the output that preceded them', () => {
    const { out, log } = writer('text');
    out.event({ kind: 'attached', probes: 1 });
    out.event({ kind: 'printf', format: 'x\n', args: [] });
    out.event({ kind: 'lost', count: 3n });
    out.event({ kind: 'warning', message: 'something' });
    out.flush();
    assert.deepEqual(log, ['err:Attaching 1 probe...\n', 'out:x\n', 'err:Lost 3 events\n', 'err:bpfscope: warning: something\n']);
  });

  it('keeps JSON notices in the NDJSON stream', () => {
    const { out, log } = writer('json');
    out.event({ kind: 'attached', probes: 2 });
    out.event({ kind: 'lost', count: 5n });
    out.flush();
    assert.deepEqual(log, ['out:{"type": "attached_probes", "data": {"probes": 2}}\n{"type": "lost_events", "data": {"events": 5}}\n']);
  });

  it('leaves out the attach notice with -q, in either format', () => {
    for (const format of ['text', 'json'] as const) {
      const { out, log } = writer(format, true);
      out.event({ kind: 'attached', probes: 2 });
      out.flush();
      assert.deepEqual(log, []);
    }
  });

  it('dumps the maps at exit after two newlines', () => {
    const { out, log } = writer('text');
    out.event({ kind: 'exit-maps', maps: [{ kind: 'plain', name: '@b', entries: [{ key: [], value: int(2) }] }, { kind: 'plain', name: '@a', entries: [{ key: [], value: int(1) }] }] });
    out.flush();
    assert.deepEqual(log, ['out:\n\n@a: 1\n@b: 2\n']);
  });
});
