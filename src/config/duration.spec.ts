import { isDuration, parseDurationSeconds } from '#src/config/duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['900', 900],
    ['10s', 10],
    ['15m', 900],
    ['24h', 86_400],
    ['7d', 604_800],
    ['30d', 2_592_000],
    [' 10s ', 10],
    ['0', 0],
  ])('reads %j as %d seconds', (value, seconds) => {
    expect(isDuration(value)).toBe(true);
    expect(parseDurationSeconds(value)).toBe(seconds);
  });

  it('rounds milliseconds up to whole seconds, so a short grace is never zero', () => {
    expect(parseDurationSeconds('1ms')).toBe(1);
    expect(parseDurationSeconds('1500ms')).toBe(2);
    expect(parseDurationSeconds('2000ms')).toBe(2);
  });

  it.each(['', 'abc', '10 s', '-5', '1.5h', '10w', '10S', 'h', '5m5s'])('refuses %j', (value) => {
    expect(isDuration(value)).toBe(false);
    expect(() => parseDurationSeconds(value)).toThrow(/not a duration/);
  });

  it('refuses values that are not strings', () => {
    for (const value of [10, null, undefined, {}, ['10s']]) {
      expect(isDuration(value)).toBe(false);
    }
  });
});
