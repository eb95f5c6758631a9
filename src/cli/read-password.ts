import { CliError } from '#src/cli/cli-error.js';

const ENTER = new Set(['\r', '\n', '\u0004']);
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Piped input ends with the newline `echo` or a here-string adds: drop that one, keep everything else. */
export function stripOneNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * The password from stdin: on a terminal it is typed twice without echo;
 * piped, the whole input is the password (NIST SP 800-63B §5.1.1.2: never trimmed).
 */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    return stripOneNewline(await readAll());
  }
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Repeat password: ')) !== password) {
    throw new CliError('the two passwords differ');
  }
  return password;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode so the terminal does not echo; the prompt goes to stderr to keep stdout for the result. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows, so nothing typed at once is echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (ENTER.has(char)) {
          finish();
          resolve(value);
          return;
        }
        if (char === CTRL_C) {
          finish();
          reject(new CliError('cancelled'));
          return;
        }
        value = BACKSPACE.has(char) ? [...value].slice(0, -1).join('') : value + char;
      }
    };
    stdin.on('data', onData);
  });
}
