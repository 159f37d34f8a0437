// strftime(3) as glibc does it in the C locale, for `time(fmt)` and `strftime(fmt, ts)`, plus bpftrace's
// `%f` extension (microseconds, six digits). Written here rather than borrowed from Intl because
// bpftrace's output is glibc's: fixed English names, `%e` space padding, `%j` day of year and so on.
//
// Divergence from bpftrace 0.17, on purpose: it substitutes `%f` with a regular expression before
// calling strftime, so `%%f` becomes `%` followed by digits and strftime fails ("(?)"). Here `%f` is an
// ordinary conversion, so `%%f` prints a literal `%f`.

/** Where wall-clock fields come from: the offset and zone name in force at an instant. */
export interface TimeZone {
  /** Minutes east of UTC at the instant. */
  offsetMinutes(epochMillis: number): number;
  abbreviation(epochMillis: number): string;
}

export const utcTimeZone: TimeZone = {
  offsetMinutes: () => 0,
  abbreviation: () => 'UTC',
};

/** The process's local zone (honours TZ), as glibc's localtime_r does for bpftrace. */
export const localTimeZone: TimeZone = {
  offsetMinutes: (epochMillis) => -new Date(epochMillis).getTimezoneOffset(),
  // Intl names some zones `GMT+1` where glibc says `CET`; only %Z is affected.
  abbreviation: (epochMillis) =>
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(new Date(epochMillis))
      .find((part) => part.type === 'timeZoneName')?.value ?? '',
};

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** Broken-down time, like struct tm but with a full year and 1-based month. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yearDay: number;
  microsecond: number;
  epochSeconds: bigint;
  offsetMinutes: number;
  zoneName: string;
}

const NANOS_PER_SECOND = 1_000_000_000n;

function breakDown(epochNanos: bigint, zone: TimeZone): Fields {
  const subSecond = ((epochNanos % NANOS_PER_SECOND) + NANOS_PER_SECOND) % NANOS_PER_SECOND;
  const epochSeconds = (epochNanos - subSecond) / NANOS_PER_SECOND;
  const epochMillis = Number(epochSeconds) * 1000;
  const offsetMinutes = zone.offsetMinutes(epochMillis);
  // Shift by the offset, then read the UTC fields: that is local wall-clock time.
  const wall = new Date(epochMillis + offsetMinutes * 60_000);
  const startOfYear = Date.UTC(wall.getUTCFullYear(), 0, 1);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
    yearDay: Math.floor((wall.getTime() - startOfYear) / 86_400_000),
    microsecond: Number(subSecond / 1000n),
    epochSeconds,
    offsetMinutes,
    zoneName: zone.abbreviation(epochMillis),
  };
}

/** ISO 8601 week-based year and week number (%G, %V): the week belongs to the year of its Thursday. */
function isoWeek(f: Fields): { year: number; week: number } {
  const isoWeekday = f.weekday === 0 ? 7 : f.weekday;
  const ordinal = f.yearDay + 1;
  if (ordinal + 4 - isoWeekday > daysIn(f.year)) return { year: f.year + 1, week: 1 };
  const week = Math.floor((ordinal - isoWeekday + 10) / 7);
  if (week >= 1) return { year: f.year, week };
  const previous = f.year - 1;
  return isoWeek({ ...f, year: previous, yearDay: f.yearDay + daysIn(previous) });
}

function daysIn(year: number): number {
  return isLeap(year) ? 366 : 365;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

interface Spec {
  flag: string;
  width: number | undefined;
}

function pad(value: number | bigint, width: number, padChar: string, spec: Spec): string {
  const digits = String(value);
  if (spec.flag === '-') return digits;
  const fill = spec.flag === '_' ? ' ' : spec.flag === '0' ? '0' : padChar;
  return digits.padStart(spec.width ?? width, fill);
}

function text(value: string, spec: Spec): string {
  const shown = spec.flag === '^' ? value.toUpperCase() : value;
  return spec.width === undefined ? shown : shown.padStart(spec.width, spec.flag === '0' ? '0' : ' ');
}

function hour12(hour: number): number {
  return hour % 12 === 0 ? 12 : hour % 12;
}

function zoneOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const magnitude = Math.abs(minutes);
  return `${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}${String(magnitude % 60).padStart(2, '0')}`;
}

/** One conversion; undefined for a conversion character glibc does not know (copied verbatim). */
function convert(conversion: string, f: Fields, spec: Spec): string | undefined {
  const again = (format: string): string => text(expand(format, f), spec);
  switch (conversion) {
    case 'a': return text(DAYS[f.weekday].slice(0, 3), spec);
    case 'A': return text(DAYS[f.weekday], spec);
    case 'b': case 'h': return text(MONTHS[f.month - 1].slice(0, 3), spec);
    case 'B': return text(MONTHS[f.month - 1], spec);
    case 'c': return again('%a %b %e %H:%M:%S %Y');
    case 'C': return pad(Math.floor(f.year / 100), 2, '0', spec);
    case 'd': return pad(f.day, 2, '0', spec);
    case 'D': case 'x': return again('%m/%d/%y');
    case 'e': return pad(f.day, 2, ' ', spec);
    case 'f': return pad(f.microsecond, 6, '0', spec);
    case 'F': return again('%Y-%m-%d');
    case 'g': return pad(isoWeek(f).year % 100, 2, '0', spec);
    case 'G': return pad(isoWeek(f).year, 1, '0', spec);
    case 'H': return pad(f.hour, 2, '0', spec);
    case 'I': return pad(hour12(f.hour), 2, '0', spec);
    case 'j': return pad(f.yearDay + 1, 3, '0', spec);
    case 'k': return pad(f.hour, 2, ' ', spec);
    case 'l': return pad(hour12(f.hour), 2, ' ', spec);
    case 'm': return pad(f.month, 2, '0', spec);
    case 'M': return pad(f.minute, 2, '0', spec);
    case 'n': return '\n';
    case 'p': return text(f.hour < 12 ? 'AM' : 'PM', spec);
    case 'P': return text(f.hour < 12 ? 'am' : 'pm', spec);
    case 'r': return again('%I:%M:%S %p');
    case 'R': return again('%H:%M');
    case 's': return pad(f.epochSeconds, 1, '0', spec);
    case 'S': return pad(f.second, 2, '0', spec);
    case 't': return '\t';
    case 'T': case 'X': return again('%H:%M:%S');
    case 'u': return pad(f.weekday === 0 ? 7 : f.weekday, 1, '0', spec);
    case 'U': return pad(Math.floor((f.yearDay + 7 - f.weekday) / 7), 2, '0', spec);
    case 'V': return pad(isoWeek(f).week, 2, '0', spec);
    case 'w': return pad(f.weekday, 1, '0', spec);
    case 'W': return pad(Math.floor((f.yearDay + 7 - ((f.weekday + 6) % 7)) / 7), 2, '0', spec);
    case 'y': return pad(f.year % 100, 2, '0', spec);
    case 'Y': return pad(f.year, 1, '0', spec);
    case 'z': return zoneOffset(f.offsetMinutes);
    case 'Z': return text(f.zoneName, spec);
    case '%': return '%';
    default: return undefined;
  }
}

// %[flag][width][E|O]conversion, as glibc parses it.
const SPEC = /%([-_0^#]?)(\d*)[EO]?(.?)/gs;

function expand(format: string, f: Fields): string {
  return format.replace(SPEC, (whole: string, flag: string, width: string, conversion: string) => {
    const spec: Spec = { flag, width: width === '' ? undefined : Number(width) };
    return convert(conversion, f, spec) ?? whole;
  });
}

/** Formats an instant (nanoseconds since the Unix epoch) like glibc strftime plus bpftrace's `%f`. */
export function strftime(format: string, epochNanos: bigint, zone: TimeZone = localTimeZone): string {
  return expand(format, breakDown(epochNanos, zone));
}
