import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strftime, utcTimeZone, type TimeZone } from './strftime.js';

// Expected strings come from glibc's strftime (Python's time.strftime on Debian bookworm, TZ=UTC).
const FORMATS = [
  '%a %A %b %B %h',
  '%c',
  '%C %d %D %e %F',
  '%g %G %V',
  '%H %I %j %k %l %m %M',
  '%p %P %r %R %s %S',
  '%T %u %U %w %W %x %X %y %Y %z %%',
  '%-d %_m %-H %5Y %^a %q %Ey %Od',
];

const GLIBC: Array<[bigint, string[]]> = [
    [1795297034n, ["Sat Saturday Nov November Nov", "Sat Nov 21 21:37:14 2026", "20 21 11/21/26 21 2026-11-21", "26 2026 47", "21 09 325 21  9 11 37", "PM pm 09:37:14 PM 21:37 1795297034 14", "21:37:14 6 46 6 46 11/21/26 21:37:14 26 2026 +0000 %", "21 11 21 02026 SAT %q 26 21"]],
    [0n, ["Thu Thursday Jan January Jan", "Thu Jan  1 00:00:00 1970", "19 01 01/01/70  1 1970-01-01", "70 1970 01", "00 12 001  0 12 01 00", "AM am 12:00:00 AM 00:00 0 00", "00:00:00 4 00 4 00 01/01/70 00:00:00 70 1970 +0000 %", "1  1 0 01970 THU %q 70 01"]],
    [1104537600n, ["Sat Saturday Jan January Jan", "Sat Jan  1 00:00:00 2005", "20 01 01/01/05  1 2005-01-01", "04 2004 53", "00 12 001  0 12 01 00", "AM am 12:00:00 AM 00:00 1104537600 00", "00:00:00 6 00 6 00 01/01/05 00:00:00 05 2005 +0000 %", "1  1 0 02005 SAT %q 05 01"]],
    [1230681600n, ["Wed Wednesday Dec December Dec", "Wed Dec 31 00:00:00 2008", "20 31 12/31/08 31 2008-12-31", "09 2009 01", "00 12 366  0 12 12 00", "AM am 12:00:00 AM 00:00 1230681600 00", "00:00:00 3 52 3 52 12/31/08 00:00:00 08 2008 +0000 %", "31 12 0 02008 WED %q 08 31"]],
    [1609459199n, ["Thu Thursday Dec December Dec", "Thu Dec 31 23:59:59 2020", "20 31 12/31/20 31 2020-12-31", "20 2020 53", "23 11 366 23 11 12 59", "PM pm 11:59:59 PM 23:59 1609459199 59", "23:59:59 4 52 4 52 12/31/20 23:59:59 20 2020 +0000 %", "31 12 23 02020 THU %q 20 31"]],
    [946731605n, ["Sat Saturday Jan January Jan", "Sat Jan  1 13:00:05 2000", "20 01 01/01/00  1 2000-01-01", "99 1999 52", "13 01 001 13  1 01 00", "PM pm 01:00:05 PM 13:00 946731605 05", "13:00:05 6 00 6 00 01/01/00 13:00:05 00 2000 +0000 %", "1  1 13 02000 SAT %q 00 01"]],
];

const SECOND = 1_000_000_000n;

describe('strftime', () => {
  for (const [seconds, expected] of GLIBC) {
    it(`matches glibc at ${seconds}s (week-numbering edge cases included)`, () => {
      assert.deepEqual(
        FORMATS.map((format) => strftime(format, seconds * SECOND, utcTimeZone)),
        expected,
      );
    });
  }

  it('prints microseconds for bpftrace %f, zero-padded to six digits', () => {
    assert.equal(strftime('%H:%M:%S.%f', 3_723n * SECOND + 4_005_678n, utcTimeZone), '01:02:03.004005');
    // bpftrace 0.17 turns `%%f` into a failed conversion; a literal `%f` is the meaning of the format.
    assert.equal(strftime('%%f', 0n, utcTimeZone), '%f');
  });

  it('applies the zone offset and name', () => {
    const plusFiveThirty: TimeZone = { offsetMinutes: () => 330, abbreviation: () => 'IST' };
    assert.equal(strftime('%Y-%m-%d %H:%M %z %Z', 0n, plusFiveThirty), '1970-01-01 05:30 +0530 IST');
    const minusThree: TimeZone = { offsetMinutes: () => -180, abbreviation: () => '-03' };
    assert.equal(strftime('%d %H %z', 0n, minusThree), '31 21 -0300');
  });

  it('keeps text outside conversions, including a lone trailing %', () => {
    assert.equal(strftime('at %H h\n%', 0n, utcTimeZone), 'at 00 h\n%');
  });
});
