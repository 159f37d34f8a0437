import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdWriter, type WriteFunction } from './fd-writer.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

const noFallback = () => assert.fail('the fallback stream is not needed');

test('text goes to the descriptor as written, in order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-fd-writer-'));
  try {
    const path = join(dir, 'out');
    const fd = openSync(path, 'w');
    const writer = new FdWriter(fd, { fallback: noFallback });
    writer.write('first\n');
    writer.write('');
    writer.write('é second\n');
    closeSync(fd);
    assert.equal(readFileSync(path, 'utf8'), 'first\né second\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short write is continued where it stopped', () => {
  const written: string[] = [];
  const write: WriteFunction = (_fd, buffer, offset) => {
    const end = Math.min(buffer.byteLength, offset + 3);
    written.push(Buffer.from(buffer.subarray(offset, end)).toString());
    return end - offset;
  };
  new FdWriter(1, { fallback: noFallback, write }).write('abcdefgh');
  assert.deepEqual(written, ['abc', 'def', 'gh']);
});

test('EPIPE ends the output quietly and says so once', () => {
  let closed = 0;
  let attempts = 0;
  const write: WriteFunction = () => {
    attempts++;
    throw errno('EPIPE');
  };
  const writer = new FdWriter(1, { fallback: noFallback, onClosed: () => closed++, write });
  writer.write('a\n');
  writer.write('b\n');
  assert.deepEqual([closed, attempts], [1, 1]);
});

test('a non-blocking descriptor hands the rest, and everything after, to the stream in order', () => {
  const streamed: string[] = [];
  let calls = 0;
  const write: WriteFunction = () => {
    if (++calls === 1) return 2;
    throw errno('EAGAIN');
  };
  const writer = new FdWriter(1, { fallback: () => ({ write: (bytes) => streamed.push(Buffer.from(bytes).toString()) }), write });
  writer.write('abcd');
  writer.write('ef');
  assert.deepEqual(streamed, ['cd', 'ef']);
  assert.equal(calls, 2);
});

test('other write errors are not swallowed', () => {
  const write: WriteFunction = () => {
    throw errno('ENOSPC');
  };
  assert.throws(() => new FdWriter(1, { fallback: noFallback, write }).write('x'), /ENOSPC/);
});
