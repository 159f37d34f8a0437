import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, compile, run, type MapEvent, type MapSnapshot, type PrintfEvent } from './index.js';
import { ownedBpfObjects, stillLoaded } from './runtime/testing/owned-objects.js';

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('library API', () => {
  it('streams typed printf events and map snapshots of a script that exits', async () => {
    const tracing = run('BEGIN { printf("hi %d %s\\n", 42, "there"); @n = 3; print(@n); exit(); }');
    const [printfs, maps, summary] = await Promise.all([collect(tracing.printfs), collect(tracing.maps), tracing.done]);
    assert.deepEqual(printfs, [{
      format: 'hi %d %s\n',
      args: [{ kind: 'int', value: 42n, signed: true, bits: 64 }, { kind: 'string', value: 'there' }],
      text: 'hi 42 there\n',
    }] satisfies PrintfEvent[]);
    const n: MapSnapshot = { kind: 'plain', name: '@n', entries: [{ key: [], value: { kind: 'int', value: 3n, signed: true, bits: 64 } }] };
    assert.deepEqual(maps, [
      { reason: 'print', map: n, options: { top: 0, div: 0 } },
      { reason: 'exit', map: n, options: {} },
    ] satisfies MapEvent[]);
    assert.equal(summary.reason, 'exit');
  });

  it('stop() ends a run that would go on, reports its maps and leaves nothing attached', async () => {
    const tracing = run('tracepoint:syscalls:sys_enter_getppid { @calls = count(); }');
    const owned = ownedBpfObjects();
    assert.ok(owned.programs.length > 0 && owned.links.length > 0, 'the program is loaded and linked while the run goes on');
    const summary = await tracing.stop();
    assert.deepEqual(summary, { reason: 'stopped', lost: 0n, undecodable: 0 });
    const maps = await collect(tracing.maps);
    assert.deepEqual(maps.map((event) => [event.reason, event.map.name]), [['exit', '@calls']]);
    assert.deepEqual(await stillLoaded(owned), { programs: [], links: [] });
  });

  it('compile() reports located diagnostics', () => {
    assert.throws(() => compile('BEGIN { printf("%d\\n"); }', { name: 'bad.bt' }), (error: unknown) => {
      assert.ok(error instanceof CompileError);
      assert.match(error.message, /^bad\.bt:1:9: /);
      return true;
    });
  });
});
