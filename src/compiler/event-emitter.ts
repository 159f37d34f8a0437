// Statements that talk to user space through the ring buffer (printf, print, clear, zero, time,
// exit, join, system, cat) and the other call statements (delete, signal). A record is reserved in
// the ring buffer, filled in place — header (kind, id) then payload — and submitted; when the ring
// is full the per-CPU lost counter is incremented instead, so user space can report the loss.
import { type Register, Helper, R0, R1, R2, R3 } from '../asm/index.js';
import { EVENT_HEADER_SIZE, EventKind, tupleLayout } from '../abi/index.js';
import type { Call, Expr } from '../lang/index.js';
import { JOIN_ARG_SIZE, JOIN_MAX_ARGS } from './call-checker.js';
import type { Place } from './frame.js';
import { emitDelete } from './map-emitter.js';
import { placeAddress, valueSize } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import { emitExitRequest, emitSubmit } from './submit-emitter.js';
import { type ValueType, isUserAddress, storageType, toAbi } from './value-types.js';

/**
 * Reserves a record of `payloadSize` bytes after the header, lets `fill` write the payload through
 * the record's register, and submits it. Reservation failures count in the lost map, except for an
 * `urgent` record (exit()'s, which the control map's EXIT word delivers anyway), sent with a wake-up.
 */
function emitEvent(
  e: ProgramEmitter, kind: EventKind, id: number, payloadSize: number, fill: (record: Register) => void, urgent = false,
): void {
  const size = EVENT_HEADER_SIZE + payloadSize;
  const reserved = e.label('reserved');
  const done = e.label('sent');
  e.asm.ldMap(R1, e.script.eventsMap()).mov64(R2, size).mov64(R3, 0).call(Helper.ringbuf_reserve);
  e.asm.jmp('ne', R0, 0, reserved);
  if (!urgent) countLost(e);
  e.asm.ja(done).label(reserved);
  const record = e.regs.acquire();
  e.asm.mov64(record, R0).st('w', record, 0, kind).st('w', record, 4, id);
  fill(record);
  emitSubmit(e, record, size, urgent);
  e.regs.release(record);
  e.asm.label(done);
}

function countLost(e: ProgramEmitter): void {
  const key = e.frame.allocate(8);
  const skip = e.label('nolost');
  e.asm.st('w', key.base, key.offset, 0).ldMap(R1, e.script.internal('lost'));
  placeAddress(e, R2, key);
  e.asm.call(Helper.map_lookup_elem).jmp('eq', R0, 0, skip).mov64(R1, 1).atomic('add', 'dw', R0, 0, R1).label(skip);
}

function fillTuple(e: ProgramEmitter, record: Register, args: readonly Expr[], types: readonly ValueType[]): void {
  const layout = tupleLayout(types.map(toAbi));
  args.forEach((arg, i) => e.emitInto(arg, { base: record, offset: EVENT_HEADER_SIZE + layout.offsets[i] }, types[i]));
}

function userMapIndex(e: ProgramEmitter, expr: Expr): number {
  if (expr.kind !== 'Map') throw new Error('expected a map');
  const map = e.script.userMap(expr.name);
  return e.script.maps.indexOf(map.script);
}

export function emitCallStatement(e: ProgramEmitter, call: Call): void {
  switch (call.callee) {
    case 'printf': case 'system': case 'cat': {
      const format = e.analysis.constants.get(call.args[0]);
      const args = call.args.slice(1);
      const types = args.map((a) => storageType(e.typeOf(a)));
      const table = call.callee === 'printf' ? 'printf' : 'command';
      const id = e.script.format(table, `${call.span.start}`, String(format), types);
      const kind = call.callee === 'printf' ? EventKind.PRINTF : call.callee === 'system' ? EventKind.SYSTEM : EventKind.CAT;
      emitEvent(e, kind, id, tupleLayout(types.map(toAbi)).size, (record) => fillTuple(e, record, args, types));
      return;
    }
    case 'print': {
      const first = call.args[0];
      if (first.kind === 'Map') {
        const limits = call.args.slice(1).map((a) => e.analysis.constants.get(a));
        emitEvent(e, EventKind.PRINT_MAP, userMapIndex(e, first), 16, (record) => {
          e.asm.st('dw', record, EVENT_HEADER_SIZE, Number(limits[0] ?? 0n)).st('dw', record, EVENT_HEADER_SIZE + 8, Number(limits[1] ?? 0n));
        });
        return;
      }
      const type = storageType(e.typeOf(first));
      const id = e.script.printedValue(type);
      emitEvent(e, EventKind.PRINT_VALUE, id, valueSize(type), (record) => e.emitInto(first, { base: record, offset: EVENT_HEADER_SIZE }, type));
      return;
    }
    case 'clear': case 'zero':
      emitEvent(e, call.callee === 'clear' ? EventKind.CLEAR_MAP : EventKind.ZERO_MAP, userMapIndex(e, call.args[0]), 0, () => undefined);
      return;
    case 'time': {
      const format = call.args.length === 0 ? '%H:%M:%S\n' : String(e.analysis.constants.get(call.args[0]));
      emitEvent(e, EventKind.TIME, e.script.timeFormat(format), 0, () => undefined);
      return;
    }
    case 'exit':
      emitExitRequest(e);
      emitEvent(e, EventKind.EXIT, 0, 0, () => undefined, true);
      e.asm.ja(e.exitLabel);
      return;
    case 'delete':
      emitDelete(e, call);
      return;
    case 'join':
      emitJoin(e, call);
      return;
    case 'signal':
      emitSignal(e, call);
      return;
    default:
      e.unsupported(`${call.callee}() cannot be used as a statement`, call);
  }
}

/**
 * join(argv[, delim]): reads up to JOIN_MAX_ARGS string pointers from the array and the strings
 * they point to into the record, stopping at the first NULL; the count read goes first.
 */
function emitJoin(e: ProgramEmitter, call: Call): void {
  const delimiter = call.args.length === 2 ? String(e.analysis.constants.get(call.args[1])) : ' ';
  const id = e.script.join({ delimiter, count: JOIN_MAX_ARGS, size: JOIN_ARG_SIZE });
  const arrayType = e.typeOf(call.args[0]);
  const user = isUserAddress(arrayType, e.analysis.group.context.userSpace);
  const readPointer = user ? Helper.probe_read_user : Helper.probe_read_kernel;
  const readString = user ? Helper.probe_read_user_str : Helper.probe_read_kernel_str;
  emitEvent(e, EventKind.JOIN, id, 8 + JOIN_MAX_ARGS * JOIN_ARG_SIZE, (record) => {
    const array = e.emitScalar(call.args[0]);
    const slot = e.frame.allocate(8);
    const end = e.label('joined');
    e.asm.st('dw', record, EVENT_HEADER_SIZE, 0);
    for (let i = 0; i < JOIN_MAX_ARGS; i++) {
      const place: Place = { base: record, offset: EVENT_HEADER_SIZE + 8 + i * JOIN_ARG_SIZE };
      placeAddress(e, R1, slot);
      e.asm.mov64(R2, 8).mov64(R3, array).add64(R3, i * 8).call(readPointer);
      e.asm.ldx('dw', R3, slot.base, slot.offset).jmp('eq', R3, 0, end);
      placeAddress(e, R1, place);
      e.asm.mov64(R2, JOIN_ARG_SIZE).call(readString);
      e.asm.st('dw', record, EVENT_HEADER_SIZE, i + 1);
    }
    e.asm.label(end);
    e.regs.release(array);
  });
}

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20,
};

function emitSignal(e: ProgramEmitter, call: Call): void {
  const constant = e.analysis.constants.get(call.args[0]);
  if (typeof constant === 'string') {
    const number = SIGNALS[constant.startsWith('SIG') ? constant : `SIG${constant}`];
    if (number === undefined) {
      e.unsupported(`unknown signal '${constant}'`, call.args[0]);
      return;
    }
    e.asm.mov64(R1, number).call(Helper.send_signal);
    return;
  }
  const reg = e.emitScalar(call.args[0]);
  e.asm.mov64(R1, reg).call(Helper.send_signal);
  e.regs.release(reg);
}

