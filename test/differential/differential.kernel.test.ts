// The differential suite: every case in cases.ts runs under bpfscope and must print exactly what
// bpftrace 0.17 printed for it (stdout byte for byte; stderr and exit status too, after run.ts's
// normalisation). bpftrace's outputs come from bpftrace-0.17.json, so a plain run needs no bpftrace:
//   UPDATE_BPFTRACE=1  re-run the installed bpftrace on every case and rewrite the recording;
//   VERIFY_BPFTRACE=1  re-run it and fail any case whose recording is not current.
// Cases listed in KNOWN_FAILING report their diff as `todo`; see cases.ts.
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture } from '../fixtures/build-fixture.js';
import { CASES, KNOWN_FAILING, type DifferentialCase } from './cases.js';
import {
  emptyRecording, installedBpftraceVersion, loadRecording, RECORDED_BPFTRACE_VERSION, RECORDING_PATH,
  recordingMode, saveRecording, type RecordedRun, type Recording,
} from './recording.js';
import { bpfscopeCommand, bpftraceCommand, commandLine, compareOutcomes, instantiate, normalise, runTool, type Outcome } from './run.js';

const mode = recordingMode();
const workload = await buildFixture('workload');
const recorded: Recording | undefined = mode === 'update' ? undefined : loadRecording();
const fresh = mode === 'recorded' ? undefined : emptyRecording(installedBpftraceVersion(bpftraceCommand()[0]));
const REFRESH = `run the suite with UPDATE_BPFTRACE=1 to refresh ${RECORDING_PATH}`;

/** bpftrace's outcome for a case: live when re-recording or verifying, else from the recording. */
async function bpftraceOutcome(testCase: DifferentialCase, argv: string[]): Promise<Outcome> {
  const entry = recorded?.cases[testCase.name];
  if (fresh === undefined) {
    assert.ok(entry !== undefined, `no recorded bpftrace output for '${testCase.name}': ${REFRESH}`);
    assert.deepEqual(entry.argv, argv, `the case changed since bpftrace's output was recorded: ${REFRESH}`);
    return entry;
  }
  const live: RecordedRun = { argv, ...normalise(await runTool(bpftraceCommand(), instantiate(argv, workload))) };
  fresh.cases[testCase.name] = live;
  if (entry !== undefined) {
    assert.deepEqual(entry.argv, argv, `the case changed since bpftrace's output was recorded: ${REFRESH}`);
    const drift = compareOutcomes(entry, live, 'recorded bpftrace', 'live bpftrace');
    assert.ok(drift === '', `the recording is out of date (${REFRESH}):\n${drift}`);
  }
  return live;
}

/** What bpfscope must print: bpftrace's outcome, with the corrected stdout where bpftrace is wrong. */
function expectation(testCase: DifferentialCase, bpftrace: Outcome): Outcome {
  const bug = testCase.expectFromBpftraceBug;
  if (bug === undefined) return bpftrace;
  assert.notEqual(
    bpftrace.stdout,
    bug.stdout,
    `bpftrace prints the corrected output: '${testCase.name}' no longer needs expectFromBpftraceBug`,
  );
  return { ...bpftrace, stdout: bug.stdout };
}

async function runCase(testCase: DifferentialCase, t: TestContext): Promise<void> {
  const argv = commandLine(testCase);
  const expected = expectation(testCase, await bpftraceOutcome(testCase, argv));
  const actual = normalise(await runTool(bpfscopeCommand(), instantiate(argv, workload)));
  const expectedLabel = testCase.expectFromBpftraceBug === undefined ? 'bpftrace' : 'corrected bpftrace';
  const diff = compareOutcomes(expected, actual, expectedLabel, 'bpfscope');
  if (KNOWN_FAILING.has(testCase.name)) {
    assert.notEqual(diff, '', `'${testCase.name}' passes now: remove it from KNOWN_FAILING in cases.ts`);
    t.todo(`known failing:\n${diff}`);
    return;
  }
  if (diff !== '') assert.fail(`bpfscope differs from bpftrace 0.17 for '${testCase.name}':\n${diff}`);
}

/** The recording with its cases in table order, whatever order the runs finished in. */
function inTableOrder(recording: Recording): Recording {
  const cases = CASES.flatMap((testCase) => {
    const run = recording.cases[testCase.name];
    return run === undefined ? [] : [[testCase.name, run] as const];
  });
  return { ...recording, cases: Object.fromEntries(cases) };
}

// BEGIN-only programs are independent of each other and run a few at a time. Programs tracing the
// workload run one at a time: uprobes on the shared workload binary would see every case's calls.
const BEGIN_ONLY_CONCURRENCY = 4;

describe('differential: bpfscope prints what bpftrace 0.17 prints', () => {
  if (fresh !== undefined) {
    test('the installed bpftrace is the recorded release', () => {
      assert.equal(fresh.bpftrace, `bpftrace ${RECORDED_BPFTRACE_VERSION}`);
    });
  }
  if (recorded !== undefined) {
    test('the recording comes from the recorded release and covers exactly the cases', () => {
      assert.equal(recorded.bpftrace, `bpftrace ${RECORDED_BPFTRACE_VERSION}`);
      assert.deepEqual(Object.keys(recorded.cases).sort(), CASES.map((testCase) => testCase.name).sort(), REFRESH);
    });
  }
  test('case names are unique and every KNOWN_FAILING entry names a case', () => {
    const names = CASES.map((testCase) => testCase.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual([...KNOWN_FAILING].filter((name) => !names.includes(name)), []);
  });
  describe('BEGIN-only programs', { concurrency: BEGIN_ONLY_CONCURRENCY }, () => {
    for (const testCase of CASES.filter((c) => c.workload === undefined)) {
      test(testCase.name, (t) => runCase(testCase, t));
    }
  });
  describe('programs tracing the workload', () => {
    for (const testCase of CASES.filter((c) => c.workload !== undefined)) {
      test(testCase.name, (t) => runCase(testCase, t));
    }
  });
  // Another bpftrace release fails the version test above and must not overwrite the recording.
  if (mode === 'update' && fresh !== undefined && fresh.bpftrace === `bpftrace ${RECORDED_BPFTRACE_VERSION}`) {
    after(() => saveRecording(inTableOrder(fresh)));
  }
});
