import 'reflect-metadata';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CliError, describeError } from '#src/cli/cli-error.js';
import { CliModule, cliServices, type CliServices } from '#src/cli/cli.module.js';
import { readPassword } from '#src/cli/read-password.js';
import { createUser } from '#src/cli/users-create.command.js';
import { importUsers, parseImportFile } from '#src/cli/users-import.command.js';

const USAGE = `Usage: npm run cli -- <command> [options]

  users:create --username <name> [--phone <phone>] [--name <display name>] [--role user|admin]
      Creates a user with the registration rules. The password is read from stdin:
      typed twice without echo on a terminal, or the whole input (minus one trailing newline) when piped.

  users:import --file <users.json>
      Imports a JSON array of {username, password_hash, phone?, name?, role?} with bcrypt or Argon2
      hashes, stored as-is and upgraded to Argon2id at each user's next login.`;

/** Framework warnings (such as the development-secrets one) go to stderr: stdout carries only the result. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

/** Boots only what the commands need; the configuration is validated exactly as for the server. */
async function withServices<T>(run: (services: CliServices) => Promise<T>): Promise<T> {
  const context = await NestFactory.createApplicationContext(CliModule, {
    logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
    abortOnError: false,
  });
  try {
    return await run(cliServices(context));
  } finally {
    await context.close();
  }
}

async function usersCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      username: { type: 'string' },
      phone: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
  });
  if (values.username === undefined) {
    throw new CliError('--username is required');
  }
  const input = { ...values, username: values.username };
  const password = await readPassword();
  const user = await withServices((services) => createUser(services, { ...input, password }));
  console.log(`created user id=${user.id} username=${user.username} role=${user.role}`);
  console.log(`  name=${user.name} phone=${user.phone ?? '(none)'}`);
  return 0;
}

async function usersImport(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  if (values.file === undefined) {
    throw new CliError('--file is required');
  }
  const file = values.file;
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new CliError(`cannot read ${file}: ${e.message}`);
  });
  const records = parseImportFile(text);
  const result = await withServices((services) => importUsers(services, records));
  console.log(`imported ${result.imported}, skipped ${result.skipped.length}`);
  for (const skip of result.skipped) {
    const who = skip.username === undefined ? '' : ` (${JSON.stringify(skip.username)})`;
    console.log(`  skipped [${skip.index}]${who}: ${skip.reason}`);
  }
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'users:create': usersCreate,
  'users:import': usersImport,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  try {
    return await run(args);
  } catch (e) {
    const lines = describeError(e).split('\n');
    console.error(
      lines.length === 1 ? `${command} failed: ${lines[0]}` : `${command} failed:\n  ${lines.join('\n  ')}`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
