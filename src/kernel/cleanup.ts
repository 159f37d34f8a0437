// The process-wide registry of live kernel resources: attached links, perf events, tracefs probe
// entries. Everything registered is released when the process ends, however it ends: normal exit,
// process.exit(), SIGINT/SIGTERM/SIGHUP, an uncaught exception or an unhandled rejection.
//
// File descriptors would die with the process anyway; tracefs entries in `uprobe_events` and
// `kprobe_events` would not. They outlive the process and pin the probed binary, so they are what this
// registry exists for.
//
// Releases are synchronous on purpose: the 'exit' event does not wait for promises.

/** Something that must be undone before the process ends. `release` is called at most once. */
export interface Resource {
  readonly description: string;
  release(): void;
}

const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Registration order; released newest first, so a link goes before the tracefs entry under it. */
const live = new Set<Resource>();
let handlersInstalled = false;

export function register(resource: Resource): void {
  live.add(resource);
  installHandlers();
}

/** Forgets a resource its owner released itself (a link detached by the program). */
export function unregister(resource: Resource): void {
  live.delete(resource);
}

export function liveResources(): readonly Resource[] {
  return [...live];
}

/** A resource whose release threw; the others were still released. */
export interface ReleaseFailure {
  readonly description: string;
  readonly error: unknown;
}

/** Releases every registered resource, newest first, and returns the ones that failed. */
export function releaseAll(): ReleaseFailure[] {
  const failures: ReleaseFailure[] = [];
  for (const resource of [...live].reverse()) {
    live.delete(resource);
    try {
      resource.release();
    } catch (error) {
      failures.push({ description: resource.description, error });
    }
  }
  return failures;
}

function releaseAndReport(): void {
  for (const failure of releaseAll()) {
    const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
    process.stderr.write(`bpfscope: could not release ${failure.description}: ${message}\n`);
  }
}

/**
 * A signal handler that restores the default action after cleanup: the process then dies of the
 * signal as it would have without bpfscope (a shell reports 130 for SIGINT). When the program has its
 * own listener for the signal (the runtime prints maps on Ctrl-C before exiting), that listener owns
 * the signal and the registry waits for the 'exit' event instead.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAndReport();
  for (const handled of HANDLED_SIGNALS) process.removeListener(handled, onSignal);
  process.kill(process.pid, signal);
}

/**
 * 'uncaughtExceptionMonitor' observes without changing Node's behaviour (print the error, exit 1);
 * it also sees unhandled rejections, which Node turns into uncaught exceptions by default. A program
 * with an 'uncaughtException' listener survives the error, so its probes stay attached.
 */
function onFatalError(): void {
  if (process.listenerCount('uncaughtException') === 0) releaseAndReport();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAndReport);
  process.on('uncaughtExceptionMonitor', onFatalError);
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
}
