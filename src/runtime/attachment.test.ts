import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdLink } from '../kernel/links/link.js';
import { FakeSys } from '../sys/index.js';
import { Attachment } from './attachment.js';
import type { LoadedProgram } from './loaded-script.js';

test('a concurrent detach stops every link and names the ones that failed to stop', async () => {
  const sys = new FakeSys();
  const open = () => sys.perfEventOpen(new Uint8Array(128), -1, 0, -1, 0);
  const gone = open();
  sys.close(gone);
  const links = [
    new FdLink(sys, 'tracepoint', 'tracepoint:a:one', [open(), open()], [], 1),
    new FdLink(sys, 'tracepoint', 'tracepoint:a:two', [gone, open()], [], 1),
  ];
  const targets = links.map((link) => ({ provider: 'tracepoint', name: link.description }));
  const program = { compiled: { targets }, program: { fd: 3 } } as unknown as LoadedProgram;
  const attachment = new Attachment();
  let next = 0;
  attachment.attachAll([program], () => ({ attach: () => links[next++]!, explainLoadError: undefined }), {});
  const { stopped, detached } = attachment.detachConcurrently();
  assert.deepEqual((await stopped).map((failure) => failure.probe), ['tracepoint:a:two']);
  assert.deepEqual(await detached, []);
  assert.equal(sys.openFds.size, 0);
  assert.deepEqual(attachment.detachAll(), [], 'nothing left to do');
});
