// Parser for a tracepoint's `format` file (tracefs events/<category>/<name>/format): the layout of
// the record the kernel hands a TRACEPOINT program. Pure text in, structure out.
//
//   name: sched_process_exec
//   ID: 365
//   format:
//   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
//   	...
//   	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
//
//   print fmt: "filename=%s ...", __get_str(filename), ...

/**
 * A tracefs problem: unreadable or malformed files, missing events, tracefs not mounted. Defined with
 * the format parser so that the parser stays free of file-system code; tracefs.ts re-exports it.
 */
export class TracefsError extends Error {
  override name = 'TracefsError';
}

export interface TracepointField {
  readonly name: string;
  /** C type text with any array suffix: `const char *`, `char[16]`, `unsigned long[6]`, `char[]`. */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** Fields every event shares (`common_pid`, …), which programs rarely read. */
  readonly isCommon: boolean;
  /**
   * Set for dynamic fields: the record holds a u32 whose low 16 bits are the data's offset (from the
   * record start for `__data_loc`, from the end of this field for `__rel_loc`) and high 16 its length.
   */
  readonly dataLoc?: 'data_loc' | 'rel_loc';
  /** Element count of a fixed array; 0 for a flexible array member (`args[]`). */
  readonly arrayLength?: number;
}

export interface TracepointFormat {
  readonly name: string;
  readonly id: number;
  readonly fields: readonly TracepointField[];
  readonly printFmt: string;
}

const FIELD_LINE = /^field:(.+?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;
// `<type> <name>` or `<type> <name>[<n>]`; the name is the last identifier of the declaration.
const DECLARATION = /^(.*?)\s*\b([A-Za-z_]\w*)\s*(\[([^\]]*)\])?$/;

/** Parses format text; `source` names where it came from, for error messages. */
export function parseTracepointFormat(text: string, source = 'format'): TracepointFormat {
  let name: string | undefined;
  let id: number | undefined;
  let printFmt = '';
  const fields: TracepointField[] = [];
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line.startsWith('name:')) name = line.slice('name:'.length).trim();
    else if (line.startsWith('ID:')) id = Number(line.slice('ID:'.length).trim());
    else if (line.startsWith('print fmt:')) printFmt = line.slice('print fmt:'.length).trim();
    else if (line.startsWith('field:')) fields.push(parseField(line, `${source}:${index + 1}`));
  }
  if (name === undefined || name === '') throw new TracefsError(`${source}: no "name:" line in tracepoint format`);
  if (id === undefined || !Number.isInteger(id)) throw new TracefsError(`${source}: no numeric "ID:" line in tracepoint format`);
  return { name, id, fields, printFmt };
}

function parseField(line: string, where: string): TracepointField {
  const match = FIELD_LINE.exec(line);
  if (match === null) throw new TracefsError(`${where}: cannot parse field line: ${line}`);
  const [, declaration, offset, size, signed] = match;
  let decl = declaration.trim();
  let dataLoc: TracepointField['dataLoc'];
  for (const [prefix, kind] of [['__data_loc ', 'data_loc'], ['__rel_loc ', 'rel_loc']] as const) {
    if (decl.startsWith(prefix)) {
      dataLoc = kind;
      decl = decl.slice(prefix.length).trim();
    }
  }
  // A dynamic field is spelled `char[] name`: the brackets belong to the type, not the name.
  const parts = DECLARATION.exec(decl);
  if (parts === null || parts[1] === '') throw new TracefsError(`${where}: cannot split "${decl}" into type and name`);
  const [, baseType, fieldName, brackets, length] = parts;
  const field: TracepointField = {
    name: fieldName,
    type: brackets === undefined ? baseType : `${baseType}[${length}]`,
    offset: Number(offset),
    size: Number(size),
    signed: signed === '1',
    isCommon: fieldName.startsWith('common_'),
  };
  if (dataLoc !== undefined) return { ...field, dataLoc };
  if (brackets === undefined) return field;
  // Lengths are macros in a few kernels' formats; then only the byte size is known.
  const arrayLength = length.trim() === '' ? 0 : Number(length);
  return Number.isInteger(arrayLength) ? { ...field, arrayLength } : field;
}
