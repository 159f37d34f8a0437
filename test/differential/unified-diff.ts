// A line-based unified diff (`diff -u` style, three lines of context) for reporting a mismatch
// between bpftrace's output and bpfscope's. The outputs compared are a few hundred lines at most, so
// the quadratic longest-common-subsequence table is cheap and keeps this short and exact.

type Edit = { kind: ' ' | '-' | '+'; line: string; oldLine: number; newLine: number };

const CONTEXT = 3;

/** Splits text into lines, marking a missing final newline the way diff(1) does. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** The edit script from `before` to `after`, every line of both in order. */
function editScript(before: string[], after: string[]): Edit[] {
  const rows = before.length + 1;
  const cols = after.length + 1;
  // common[i * cols + j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = new Uint32Array(rows * cols);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * cols + j] =
        before[i] === after[j]
          ? common[(i + 1) * cols + j + 1] + 1
          : Math.max(common[(i + 1) * cols + j], common[i * cols + j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      edits.push({ kind: ' ', line: before[i], oldLine: i++, newLine: j++ });
    } else if (i < before.length && (j === after.length || common[(i + 1) * cols + j] >= common[i * cols + j + 1])) {
      // Removals before additions, as diff(1) shows a changed line.
      edits.push({ kind: '-', line: before[i], oldLine: i++, newLine: j });
    } else {
      edits.push({ kind: '+', line: after[j], oldLine: i, newLine: j++ });
    }
  }
  return edits;
}

function hunkRange(start: number, length: number): string {
  // diff(1) numbers lines from 1 and names the line before an empty range.
  const first = length === 0 ? start : start + 1;
  return length === 1 ? `${first}` : `${first},${length}`;
}

/**
 * `diff -u` of two texts, or '' when they are equal. The labels name the two sides in the
 * `---`/`+++` header.
 */
export function unifiedDiff(before: string, after: string, beforeLabel: string, afterLabel: string): string {
  if (before === after) return '';
  const edits = editScript(splitLines(before), splitLines(after));
  const changed = edits.flatMap((edit, index) => (edit.kind === ' ' ? [] : [index]));
  const out = [`--- ${beforeLabel}`, `+++ ${afterLabel}`];
  let index = 0;
  while (index < changed.length) {
    // A hunk grows while the next change is close enough for the two contexts to touch.
    let last = index;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * CONTEXT) last++;
    const from = Math.max(0, changed[index] - CONTEXT);
    const to = Math.min(edits.length, changed[last] + CONTEXT + 1);
    const hunk = edits.slice(from, to);
    const oldLength = hunk.filter((edit) => edit.kind !== '+').length;
    const newLength = hunk.filter((edit) => edit.kind !== '-').length;
    out.push(`@@ -${hunkRange(hunk[0].oldLine, oldLength)} +${hunkRange(hunk[0].newLine, newLength)} @@`);
    for (const edit of hunk) out.push(`${edit.kind}${edit.line}`);
    index = last + 1;
  }
  return `${out.join('\n')}\n`;
}
