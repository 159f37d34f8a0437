import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, printExpr, Source, type Expr } from './index.js';

/** Parses `expr` as the value of `$r = …;` and prints it as an S-expression. */
function shape(expr: string): string {
  const program = parse(new Source('test.bt', `BEGIN { $r = ${expr}; }`));
  const statement = program.probes[0].body.statements[0];
  assert.equal(statement.kind, 'Assignment');
  return printExpr(statement.value);
}

const CASES: readonly [string, string][] = [
  // C precedence, lowest to highest.
  ['1 + 2 * 3', '(+ 1 (* 2 3))'],
  ['1 * 2 + 3', '(+ (* 1 2) 3)'],
  ['1 - 2 - 3', '(- (- 1 2) 3)'],
  ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
  ['1 << 2 + 3', '(<< 1 (+ 2 3))'],
  ['1 < 2 == 3 > 4', '(== (< 1 2) (> 3 4))'],
  ['a & b == c', '(& a (== b c))'],
  ['a | b ^ c & d', '(| a (^ b (& c d)))'],
  ['a || b && c', '(|| a (&& b c))'],
  ['a && b || c && d', '(|| (&& a b) (&& c d))'],
  ['$a ? $b : $c ? $d : $e', '(? $a $b (? $c $d $e))'],
  ['$a || $b ? 1 : 2', '(? (|| $a $b) 1 2)'],
  ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
  // Unary and postfix.
  ['-1 + -$x', '(+ (- 1) (- $x))'],
  ['!$a && ~$b', '(&& (! $a) (~ $b))'],
  ['*$p + &$q', '(+ (* $p) (& $q))'],
  ['- - 1', '(- (- 1))'],
  ['$x++ + 1', '(+ (post++ $x) 1)'],
  ['--@m[1]', '(--pre ([] @m 1))'],
  ['-@x[1].y', '(- (. ([] @x 1) y))'],
  // Access.
  ['args->filename', '(-> args filename)'],
  ['args.filename', '(. args filename)'],
  ['$sk->__sk_common.skc_v6_daddr.in6_u', '(. (. (-> $sk __sk_common) skc_v6_daddr) in6_u)'],
  ['$t.0.1', '(. (. $t 0) 1)'],
  ['(1, "a").1', '(. (tuple 1 "a") 1)'],
  ['$a[1][2]', '(index (index $a 1) 2)'],
  ['@x[pid, comm]', '([] @x pid comm)'],
  ['@[1]', '([] @ 1)'],
  ['@', '@'],
  ['$1 + $#', '(+ $1 $#)'],
  ['arg0 + retval', '(+ arg0 retval)'],
  ['str(arg0, 16)', '(call str arg0 16)'],
  ['kstack()', '(call kstack)'],
  ['(1, (2, 3), "x")', '(tuple 1 (tuple 2 3) "x")'],
  ['(1,)', '(tuple 1)'],
  ['true && !false', '(&& true (! false))'],
  // Casts.
  ['(uint8)1', '(cast <uint8> 1)'],
  ['(uint8)-1', '(cast <uint8> (- 1))'],
  ['(struct task_struct *)curtask', '(cast <struct task_struct *> curtask)'],
  ['(struct task_struct *)curtask->mm', '(cast <struct task_struct *> (-> curtask mm))'],
  ['((struct task_struct *)curtask)->mm', '(-> (cast <struct task_struct *> curtask) mm)'],
  ['(int8[8])$a', '(cast <int8[8]> $a)'],
  ['(uint8[])"abc"', '(cast <uint8[]> "abc")'],
  ['(unsigned long)$x', '(cast <unsigned long> $x)'],
  ['(const char **)arg1', '(cast <char **> arg1)'],
  ['(pid_t)$x + 1', '(+ (cast <pid_t> $x) 1)'],
  ['(uint64)$a * 2', '(* (cast <uint64> $a) 2)'],
  ['(mytype)$x', '(cast <mytype> $x)'],
  // Parenthesised names that are not casts.
  ['(pid) + 1', '(+ pid 1)'],
  ['(pid)', 'pid'],
  ['(TASK_RUNNING) - 1', '(- TASK_RUNNING 1)'],
  ['(arg0) * 2', '(* arg0 2)'],
  // sizeof / offsetof.
  ['sizeof(struct task_struct)', '(sizeof <struct task_struct>)'],
  ['sizeof(uint32)', '(sizeof <uint32>)'],
  ['sizeof(char *)', '(sizeof <char *>)'],
  ['sizeof($x)', '(sizeof $x)'],
  ['sizeof(comm)', '(sizeof comm)'],
  ['sizeof(@m[1]) * 2', '(* (sizeof ([] @m 1)) 2)'],
  ['offsetof(struct task_struct, se.vruntime)', '(offsetof <struct task_struct> se.vruntime)'],
  // Literals.
  ['1_000_000', '1000000'],
  ['0x1F', '31'],
  ['0777', '511'],
  ['0b101', '5'],
  ['2e3', '2000'],
  ['10ms', '10000000'],
  ['5s', '5000000000'],
  ['123UL', '123'],
  ['18446744073709551615', '18446744073709551615'],
  ['"a\\tb\\x41\\101\\0"', '"a\\tbAA\\u0000"'],
];

describe('expression shapes', () => {
  for (const [source, expected] of CASES) {
    it(`${source}  =>  ${expected}`, () => {
      assert.equal(shape(source), expected);
    });
  }

  it('ends a predicate at the slash before the body, not at a division', () => {
    const program = parse(new Source('test.bt', 'kprobe:f / $x / 2 > 1 / { }'));
    const predicate = program.probes[0].predicate;
    assert.ok(predicate);
    assert.equal(printExpr(predicate), '(> (/ $x 2) 1)');
  });

  it('gives binary nodes the span from the left operand to the right', () => {
    const program = parse(new Source('test.bt', 'BEGIN { $r = 1 + 2 * 3; }'));
    const statement = program.probes[0].body.statements[0];
    assert.equal(statement.kind, 'Assignment');
    assert.deepEqual(statement.value.span, { start: 13, end: 22 });
    assert.deepEqual(statement.span, { start: 8, end: 22 });
  });

  it('starts a parenthesised expression, and what is built on it, at the opening parenthesis', () => {
    const text = 'struct s { int a; } BEGIN { $r = ((struct s *)0)->a + ((1, 2)).0 * (7); }';
    const statement = parse(new Source('test.bt', text)).probes[0].body.statements[0];
    assert.equal(statement.kind, 'Assignment');
    const spanText = (expr: Expr): string => text.slice(expr.span.start, expr.span.end);
    const sum = statement.value;
    assert.ok(sum.kind === 'Binary' && sum.right.kind === 'Binary');
    assert.equal(spanText(sum.left), '((struct s *)0)->a');
    assert.ok(sum.left.kind === 'FieldAccess');
    assert.equal(spanText(sum.left.object), '((struct s *)0)');
    assert.equal(spanText(sum.right.left), '((1, 2)).0');
    assert.equal(spanText(sum.right.right), '(7)');
    assert.equal(spanText(sum), text.slice(text.indexOf('(('), text.lastIndexOf(';')));
  });

  it('keeps the integer suffix', () => {
    const program = parse(new Source('test.bt', 'BEGIN { $r = 3us; }'));
    const statement = program.probes[0].body.statements[0];
    assert.equal(statement.kind, 'Assignment');
    assert.deepEqual(statement.value, { kind: 'Integer', span: { start: 13, end: 16 }, value: 3000n, suffix: 'us' });
  });
});
