// Integer constant expressions over already-expanded tokens, with C's types: literals typed by value
// and suffix, promotions, the usual arithmetic conversions, wrap-around, casts to integer types and
// `sizeof` of them. The same evaluator serves `#if` lines, where everything is intmax_t/uintmax_t and
// an identifier left after expansion counts as 0 (C11 6.10.1p4).
import {
  canonicalTypeName,
  commonType,
  integerLiteral,
  INTMAX,
  promote,
  TYPE_KEYWORDS,
  wrap,
  type IntegerConstant,
  type IntegerType,
  type TypeSet,
} from './integer-types.js';
import type { PpToken } from './pp-token.js';

export class ConstantError extends Error {
  override readonly name = 'ConstantError';
}

export interface EvaluationContext {
  /** `'preprocessor'` for `#if` arithmetic. */
  readonly types: TypeSet | 'preprocessor';
  /** Gives an identifier left after macro expansion a value (enumerators, built-in tables). */
  readonly identifier?: (name: string) => IntegerConstant | undefined;
  /** Resolves a typedef name used in a cast or `sizeof` (`(in_addr_t) 0x7f000001`). */
  readonly typedef?: (name: string) => IntegerType | undefined;
}

const QUALIFIERS = new Set(['const', 'volatile', '__force', '__user', '__kernel']);
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27 };
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

export function evaluateConstant(tokens: readonly PpToken[], context: EvaluationContext): IntegerConstant {
  return new ConstantParser(tokens, context).parseAll();
}

class ConstantParser {
  private at = 0;

  constructor(
    private readonly tokens: readonly PpToken[],
    private readonly context: EvaluationContext,
  ) {}

  parseAll(): IntegerConstant {
    if (this.tokens.length === 0) throw new ConstantError('the expression is empty');
    const value = this.conditional(true);
    const rest = this.peek();
    if (rest !== undefined) throw new ConstantError(`unexpected '${rest.text}'`);
    return value;
  }

  /** `live` is false in an operand C does not evaluate (`0 && 1/0` is fine): errors there give 0. */
  private conditional(live: boolean): IntegerConstant {
    const test = this.binary(0, live);
    if (!this.accept('?')) return test;
    const chosen = test.value !== 0n;
    const then = this.conditional(live && chosen);
    this.expect(':');
    const otherwise = this.conditional(live && !chosen);
    const t = commonType(promote(then.type, this.types), promote(otherwise.type, this.types), this.types);
    return wrap(chosen ? then.value : otherwise.value, t);
  }

  private binary(level: number, live: boolean): IntegerConstant {
    if (level === BINARY_LEVELS.length) return this.unary(live);
    let left = this.binary(level + 1, live);
    for (let op = this.peekOperator(BINARY_LEVELS[level]); op !== undefined; op = this.peekOperator(BINARY_LEVELS[level])) {
      this.at++;
      const rightLive = live && (op === '&&' ? left.value !== 0n : op === '||' ? left.value === 0n : true);
      const right = this.binary(level + 1, rightLive);
      left = this.apply(op, left, right, rightLive);
    }
    return left;
  }

  private apply(op: string, left: IntegerConstant, right: IntegerConstant, live: boolean): IntegerConstant {
    const types = this.types;
    const int = types === 'preprocessor' ? promote(left.type, types) : types.int;
    if (op === '&&') return { value: left.value !== 0n && right.value !== 0n ? 1n : 0n, type: int };
    if (op === '||') return { value: left.value !== 0n || right.value !== 0n ? 1n : 0n, type: int };
    if (op === '<<' || op === '>>') {
      const t = promote(left.type, types);
      if (right.value < 0n || right.value >= BigInt(t.bits)) {
        if (!live) return { value: 0n, type: t };
        throw new ConstantError(`shift count ${right.value} is out of range for ${t.name}`);
      }
      return wrap(op === '<<' ? left.value << right.value : wrap(left.value, t).value >> right.value, t);
    }
    const t = commonType(promote(left.type, types), promote(right.type, types), types);
    const a = wrap(left.value, t).value;
    const b = wrap(right.value, t).value;
    const truth = (condition: boolean): IntegerConstant => ({ value: condition ? 1n : 0n, type: types === 'preprocessor' ? t : types.int });
    switch (op) {
      case '==': return truth(a === b);
      case '!=': return truth(a !== b);
      case '<': return truth(a < b);
      case '>': return truth(a > b);
      case '<=': return truth(a <= b);
      case '>=': return truth(a >= b);
      case '+': return wrap(a + b, t);
      case '-': return wrap(a - b, t);
      case '*': return wrap(a * b, t);
      case '&': return wrap(a & b, t);
      case '|': return wrap(a | b, t);
      case '^': return wrap(a ^ b, t);
      default:
        if (b === 0n) {
          if (!live) return { value: 0n, type: t };
          throw new ConstantError('division by zero');
        }
        return wrap(op === '/' ? a / b : a % b, t);
    }
  }

  private unary(live: boolean): IntegerConstant {
    const token = this.peek();
    if (token === undefined) throw new ConstantError('the expression ends too early');
    if (token.kind === 'punctuator' && ['-', '+', '~', '!'].includes(token.text)) {
      this.at++;
      const operand = this.unary(live);
      const t = promote(operand.type, this.types);
      if (token.text === '!') return { value: operand.value === 0n ? 1n : 0n, type: this.types === 'preprocessor' ? t : this.types.int };
      if (token.text === '-') return wrap(-operand.value, t);
      if (token.text === '~') return wrap(~operand.value, t);
      return wrap(operand.value, t);
    }
    if (token.text === 'sizeof' && this.types !== 'preprocessor') return this.sizeofExpression(live);
    if (token.text === '(' && this.types !== 'preprocessor') {
      const cast = this.tryTypeName();
      if (cast?.pointer) throw new ConstantError('a pointer cast does not give an integer constant');
      if (cast !== undefined) return wrap(this.unary(live).value, cast.type);
    }
    return this.primary(live);
  }

  private sizeofExpression(live: boolean): IntegerConstant {
    this.at++;
    const types = this.types as TypeSet;
    const named = this.peek()?.text === '(' ? this.tryTypeName() : undefined;
    const bits = named === undefined ? promote(this.unary(live).type, types).bits : named.pointer ? types.pointerBits : named.type.bits;
    return { value: BigInt(bits / 8), type: types.ulong };
  }

  /** At `(`: consumes `(type-name)` and returns the type, or consumes nothing if it is not one. */
  private tryTypeName(): { type: IntegerType; pointer: boolean } | undefined {
    const types = this.types as TypeSet;
    let at = this.at + 1;
    const words: string[] = [];
    let typedef: IntegerType | undefined;
    let pointer = false;
    for (; at < this.tokens.length && this.tokens[at].kind === 'identifier'; at++) {
      const word = this.tokens[at].text;
      if (QUALIFIERS.has(word)) continue;
      if (TYPE_KEYWORDS.has(word)) {
        words.push(word);
        continue;
      }
      const aggregate = word === 'struct' || word === 'union' || word === 'enum' || word === 'void';
      if (aggregate && words.length === 0 && typedef === undefined) {
        // `sizeof(struct x *)` and `(void *)` need no layout; anything else would need BTF.
        const star = this.tokens.findIndex((token, index) => index > at && token.kind !== 'identifier');
        if (this.tokens[star]?.text === '*' && this.tokens[star + 1]?.text === ')') return this.endTypeName(star + 1, types.ulong, true);
        throw new ConstantError(`'${word}' types have no integer value or size without BTF`);
      }
      const named = words.length === 0 && typedef === undefined ? (types.named.get(word) ?? this.context.typedef?.(word)) : undefined;
      if (named === undefined) return undefined;
      typedef = named;
    }
    if (words.length === 0 && typedef === undefined) return undefined;
    while (this.tokens[at]?.text === '*') {
      pointer = true;
      at++;
    }
    if (this.tokens[at]?.text !== ')') return undefined;
    const name = canonicalTypeName(words);
    const t = typedef ?? (name === undefined ? undefined : types.named.get(name));
    if (t === undefined) throw new ConstantError(`'${words.join(' ')}' is not a valid type`);
    return this.endTypeName(at, t, pointer);
  }

  private endTypeName(close: number, type: IntegerType, pointer: boolean): { type: IntegerType; pointer: boolean } {
    this.at = close + 1;
    return { type, pointer };
  }

  private primary(live: boolean): IntegerConstant {
    const token = this.tokens[this.at++];
    if (token.text === '(') {
      const inner = this.conditional(live);
      this.expect(')');
      return inner;
    }
    if (token.kind === 'number') {
      const literal = integerLiteral(token.text, this.types);
      if (typeof literal === 'string') throw new ConstantError(literal);
      return literal;
    }
    if (token.kind === 'char') return this.character(token.text);
    if (token.kind === 'identifier') {
      if (this.types === 'preprocessor') return { value: 0n, type: INTMAX };
      if (this.peek()?.text === '(') throw new ConstantError(`'${token.text}(…)' is a function call, not a constant`);
      const value = this.context.identifier?.(token.text);
      if (value === undefined) throw new ConstantError(`'${token.text}' is not a known constant`);
      return value;
    }
    if (token.kind === 'string') throw new ConstantError(`${token.text} is a string, not an integer`);
    throw new ConstantError(`unexpected '${token.text}'`);
  }

  private character(text: string): IntegerConstant {
    const body = /^'(.*)'$/s.exec(text)?.[1] ?? '';
    const escape = /^\\(?:x([0-9a-fA-F]+)|([0-7]{1,3})|(.))$/s.exec(body);
    let code: number | undefined;
    if (escape?.[1] !== undefined) code = parseInt(escape[1], 16);
    else if (escape?.[2] !== undefined) code = parseInt(escape[2], 8);
    else if (escape?.[3] !== undefined) code = SIMPLE_ESCAPES[escape[3]];
    else if (body.length === 1) code = body.charCodeAt(0);
    if (code === undefined || code > 255) throw new ConstantError(`character constant ${text} is not supported`);
    const types = this.types;
    const signedChar = types === 'preprocessor' ? true : types.char.signed;
    const value = signedChar && code > 127 ? BigInt(code - 256) : BigInt(code);
    return { value, type: types === 'preprocessor' ? INTMAX : types.int };
  }

  private get types(): TypeSet | 'preprocessor' {
    return this.context.types;
  }

  private peek(): PpToken | undefined {
    return this.tokens[this.at];
  }

  private peekOperator(ops: readonly string[]): string | undefined {
    const token = this.peek();
    return token?.kind === 'punctuator' && ops.includes(token.text) ? token.text : undefined;
  }

  private accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.at++;
    return true;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw new ConstantError(`expected '${text}'${this.peek() ? ` before '${this.peek()?.text}'` : ' at the end'}`);
  }
}
