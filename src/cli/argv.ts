// Reads a command line in getopt_long's style, as bpftrace does: `-abc` groups short booleans; a
// short option that takes a value takes the rest of its word or else the next word (`-p123`,
// `-p 123`, `-e 'prog'`), even one that starts with a dash; `--name` and `--name=value` are long
// options (spelled out: getopt_long's unambiguous prefixes are not taken, as util.parseArgs took
// none); `--` ends the options; every other word is a positional, wherever it stands.
//
// Why not util.parseArgs: loading it is ~1.3 ms of every start (Node compiles its two internal
// modules on first use), more than this whole file costs, on a path users time with a stopwatch.

export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** Collect every occurrence (string options only). */
  readonly multiple?: boolean;
}

export type OptionValues<T extends Record<string, OptionSpec>> = {
  -readonly [K in keyof T]?: T[K]['type'] extends 'boolean' ? true : T[K]['multiple'] extends true ? string[] : string;
};

/** A word the options table does not allow; `message` says which and why. */
export class ArgvError extends Error {
  override name = 'ArgvError';
}

export function readArgv<T extends Record<string, OptionSpec>>(
  argv: readonly string[], options: T,
): { values: OptionValues<T>; positionals: string[] } {
  const values: Record<string, true | string | string[]> = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(options).filter(([, spec]) => spec.short !== undefined).map(([name, spec]) => [spec.short, name]));

  const store = (name: string, value: string): void => {
    const previous = values[name];
    values[name] = options[name].multiple === true ? [...(Array.isArray(previous) ? previous : []), value] : value;
  };
  let index = 0;
  const nextWord = (shown: string): string => {
    if (index >= argv.length) throw new ArgvError(`option '${shown}' needs a value`);
    return argv[index++];
  };

  while (index < argv.length) {
    const word = argv[index++];
    if (word === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
      const shown = `--${name}`;
      if (!Object.hasOwn(options, name)) throw new ArgvError(`unknown option '${shown}'`);
      if (options[name].type === 'boolean') {
        if (equals >= 0) throw new ArgvError(`option '${shown}' takes no value`);
        values[name] = true;
      } else {
        store(name, equals < 0 ? nextWord(shown) : word.slice(equals + 1));
      }
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    for (let at = 1; at < word.length; at++) {
      const name = byShort.get(word[at]);
      if (name === undefined) throw new ArgvError(`unknown option '-${word[at]}'`);
      if (options[name].type === 'boolean') {
        values[name] = true;
        continue;
      }
      store(name, at + 1 < word.length ? word.slice(at + 1) : nextWord(`-${word[at]}`));
      break;
    }
  }
  return { values: values as OptionValues<T>, positionals };
}
