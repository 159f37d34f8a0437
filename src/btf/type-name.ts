// Renders BTF types as C declarations (`const char *`, `char[16]`, `void (*)(int)`), the way a user
// would write them. C declarators read inside-out, so rendering passes the growing declarator text
// down to the referenced type instead of concatenating left to right.

import { BtfError } from './errors.js';
import type { BtfType } from './types.js';

export type TypeLookup = (id: number) => BtfType;

// Well-formed BTF never nests this deep; a loop in a damaged blob must not overflow the stack.
const MAX_DEPTH = 64;

/** C text for type `id`; `declarator` is the name (or abstract declarator) being declared with it. */
export function renderType(types: TypeLookup, id: number, declarator = ''): string {
  return render(types, id, declarator, 0);
}

function render(types: TypeLookup, id: number, declarator: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new BtfError(`type ${id} nests more than ${MAX_DEPTH} levels deep`);
  const next = depth + 1;
  const t = types(id);
  switch (t.kind) {
    case 'void':
      return join('void', declarator);
    case 'int':
    case 'float':
    case 'typedef':
      return join(t.name, declarator);
    case 'struct':
    case 'union':
      return join(`${t.kind} ${t.name || '{...}'}`, declarator);
    case 'enum':
    case 'enum64':
      return join(`enum ${t.name || '{...}'}`, declarator);
    case 'fwd':
      return join(`${t.fwdKind} ${t.name}`, declarator);
    case 'ptr': {
      const pointer = `*${declarator}`;
      const target = skipTypeTags(types, t.type).kind;
      // Pointers to arrays and functions need parentheses: `char (*)[16]`, `int (*)(void)`.
      const wrapped = target === 'array' || target === 'func_proto' ? `(${pointer})` : pointer;
      return render(types, t.type, wrapped, next);
    }
    case 'const':
    case 'volatile':
    case 'restrict':
      // A qualified pointer puts the qualifier after the star (`char *const`); anything else before.
      if (skipTypeTags(types, t.type).kind === 'ptr') return render(types, t.type, join(t.kind, declarator), next);
      return `${t.kind} ${render(types, t.type, declarator, next)}`;
    case 'type_tag':
      // Tags such as `user` are annotations for the verifier, not part of the C spelling.
      return render(types, t.type, declarator, next);
    case 'array':
      return render(types, t.elementType, `${declarator}[${t.length}]`, next);
    case 'func_proto': {
      const params = t.params.map((p) => render(types, p.type, p.name, next));
      if (t.variadic) params.push('...');
      return render(types, t.returnType, `${declarator}(${params.length > 0 ? params.join(', ') : 'void'})`, next);
    }
    case 'func':
      return render(types, t.type, join(t.name, declarator), next);
    case 'var':
      return render(types, t.type, join(t.name, declarator), next);
    case 'datasec':
      return `SEC("${t.name}")`;
    case 'decl_tag':
      return `__attribute__((btf_decl_tag("${t.name}")))`;
  }
}

function skipTypeTags(types: TypeLookup, id: number): BtfType {
  let t = types(id);
  for (let depth = 0; t.kind === 'type_tag'; depth++) {
    if (depth > MAX_DEPTH) throw new BtfError(`type ${id} nests more than ${MAX_DEPTH} type tags`);
    t = types(t.type);
  }
  return t;
}

function join(base: string, declarator: string): string {
  if (declarator === '') return base;
  return declarator.startsWith('[') ? base + declarator : `${base} ${declarator}`;
}
