import { CliError } from '#src/cli/cli-error.js';
import { stripOneNewline } from '#src/cli/read-password.js';
import { parseImportFile } from '#src/cli/users-import.command.js';

describe('parseImportFile', () => {
  it('returns the records of a JSON array', () => {
    expect(parseImportFile('[{"username":"a"}, 1]')).toEqual([{ username: 'a' }, 1]);
  });

  it.each([
    ['invalid JSON', '[{"username":'],
    ['an object', '{"username":"a"}'],
    ['an empty file', ''],
  ])('refuses %s before any row is written', (_, text) => {
    expect(() => parseImportFile(text)).toThrow(CliError);
  });
});

describe('stripOneNewline', () => {
  it('drops exactly one trailing newline and nothing else', () => {
    expect(stripOneNewline('  secret pass \n')).toBe('  secret pass ');
    expect(stripOneNewline('secret\r\n')).toBe('secret');
    expect(stripOneNewline('secret\n\n')).toBe('secret\n');
    expect(stripOneNewline('secret')).toBe('secret');
  });
});
