// Every BPF program, map and link loaded on the machine, whoever owns them: the test runner compares
// inventories taken before and after a run to prove nothing was left loaded or attached, and `info`-style
// commands show what else is running.
//
// Walks ids with *_GET_NEXT_ID, opens each object by id and asks for its info. Objects can vanish at any
// moment (their last fd closed), so an id that no longer opens is skipped, not an error.
import {
  BpfCommand, MapType, ProgramType, isErrno, getFdById, getNextId, linuxSys, nameOf, objGetInfo, readU32,
  type Sys,
} from '../sys/index.js';
import { mapInfo } from './map.js';
import { programInfo } from './program.js';

export interface InventoryItem {
  id: number;
  type: number;
  /** The type's name when bpfscope knows it (HASH, TRACEPOINT), else its number. */
  typeName: string;
  /** Programs and maps: their name; links: the name of the program they attach. */
  name: string;
}

export interface LinkItem extends InventoryItem {
  programId: number;
}

export interface Inventory {
  programs: InventoryItem[];
  maps: InventoryItem[];
  links: LinkItem[];
}

/** enum bpf_link_type; only the kinds bpfscope creates are named. */
const LinkType = { RAW_TRACEPOINT: 1, TRACING: 2, PERF_EVENT: 7, KPROBE_MULTI: 8, UPROBE_MULTI: 12 } as const;
/** type, id, prog_id: the common prefix of struct bpf_link_info, all the inventory needs. */
const LINK_INFO_SIZE = 16;

type Kind = 'program' | 'map' | 'link';

const COMMANDS: Record<Kind, { next: number; open: number }> = {
  program: { next: BpfCommand.PROG_GET_NEXT_ID, open: BpfCommand.PROG_GET_FD_BY_ID },
  map: { next: BpfCommand.MAP_GET_NEXT_ID, open: BpfCommand.MAP_GET_FD_BY_ID },
  link: { next: BpfCommand.LINK_GET_NEXT_ID, open: BpfCommand.LINK_GET_FD_BY_ID },
};

/** Opens every object of a kind in turn and describes it with `describe`. */
function walk<T>(sys: Sys, kind: Kind, describe: (fd: number) => T): T[] {
  const found: T[] = [];
  for (let id = getNextId(sys, COMMANDS[kind].next, 0); id !== undefined; id = getNextId(sys, COMMANDS[kind].next, id)) {
    let fd: number;
    try {
      fd = getFdById(sys, COMMANDS[kind].open, id);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) continue;
      throw error;
    }
    try {
      found.push(describe(fd));
    } finally {
      sys.close(fd);
    }
  }
  return found;
}

export function listPrograms(sys: Sys = linuxSys()): InventoryItem[] {
  return walk(sys, 'program', (fd) => {
    const info = programInfo(sys, fd);
    return { id: info.id, type: info.type, typeName: nameOf(ProgramType, info.type), name: info.name };
  });
}

export function listMaps(sys: Sys = linuxSys()): InventoryItem[] {
  return walk(sys, 'map', (fd) => {
    const info = mapInfo(sys, fd);
    return { id: info.id, type: info.type, typeName: nameOf(MapType, info.type), name: info.name };
  });
}

export function listLinks(sys: Sys = linuxSys()): LinkItem[] {
  const programNames = new Map(listPrograms(sys).map((p) => [p.id, p.name]));
  return walk(sys, 'link', (fd) => {
    const info = objGetInfo(sys, fd, LINK_INFO_SIZE);
    const type = readU32(info, 0);
    const programId = readU32(info, 8);
    return { id: readU32(info, 4), type, typeName: nameOf(LinkType, type), name: programNames.get(programId) ?? '', programId };
  });
}

export function takeInventory(sys: Sys = linuxSys()): Inventory {
  return { programs: listPrograms(sys), maps: listMaps(sys), links: listLinks(sys) };
}

/** What `after` holds that `before` did not: the objects a test run created and left behind. */
export function inventoryDiff(before: Inventory, after: Inventory): Inventory {
  const added = <T extends InventoryItem>(old: T[], now: T[]): T[] => {
    const ids = new Set(old.map((item) => item.id));
    return now.filter((item) => !ids.has(item.id));
  };
  return {
    programs: added(before.programs, after.programs),
    maps: added(before.maps, after.maps),
    links: added(before.links, after.links),
  };
}
