import { jsonErrorPosition } from '#src/common/filters/json-body.js';

const long = 'x'.repeat(15_000);

describe('jsonErrorPosition', () => {
  it.each([
    ['a cut-off body', '{"username":', 12],
    ['an empty body', '', 0],
    ['an unexpected token (V8 names no position)', '{"username": x}', 13],
    ['a misspelt literal', '{"a":tru}', 8],
    ['a trailing comma', '{"a":1,}', 7],
    ['a missing comma', '{"password":"hunter2" x}', 22],
    ['text after the value', '{"a":1} {', 8],
    ['an unterminated string', '{"a":"b', 7],
    ['a lone minus', '{"a":-', 6],
    ['a trailing comma after 15,000 characters', `{"a":"${long}",}`, 15_008],
    ['an unexpected token after 15,000 characters', `{"a":"${long}" nope}`, 15_008],
  ])('finds where %s stops being JSON', (_label, text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
  });

  it('answers undefined for JSON', () => {
    expect(jsonErrorPosition('{"a":[1,2,{"b":null}]}')).toBeUndefined();
  });
});
