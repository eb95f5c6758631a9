import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CliError, describeError } from '#src/cli/cli-error.js';
import { CliModule, cliServices, type CliServices } from '#src/cli/cli.module.js';
import { readPassword } from '#src/cli/read-password.js';
import { createUser } from '#src/cli/users-create.command.js';
import { importUsers, parseImportFile } from '#src/cli/users-import.command.js';

const CREATE_HELP = `Usage: npm run cli -- users:create --username <name> [options]

  Creates a user with the registration rules. The password is read from stdin:
  typed twice without echo on a terminal, or the whole input (minus one trailing newline) when piped.

  --username <name>       required; 3 to 50 letters, digits, _ or -
  --phone <phone>         optional; a mobile number, E.164 or national (DEFAULT_PHONE_REGION)
  --email <address>       optional; stored unverified until a code proves it
  --name <display name>   optional
  --role <role>           user (default) or admin
  -h, --help              this help`;

const IMPORT_HELP = `Usage: npm run cli -- users:import --file <users.json> [--dry-run]

  Imports a JSON array of {username, password_hash, phone?, email?, name?, role?} with bcrypt or
  Argon2 hashes, stored as-is and upgraded to Argon2id at each user's next login. Emails are stored
  unverified. Other fields (created_at, ...) are ignored and listed, never their values. A bad record is skipped with its reason; the rest go on.
  Hash costs outside IMPORT_BCRYPT_COST (default 8-14), IMPORT_ARGON2_MEMORY_KIB (1024-1048576),
  IMPORT_ARGON2_TIME_COST (1-10) and IMPORT_ARGON2_PARALLELISM (1-16) are skipped.

  --file <users.json>     required
  --dry-run               check every record, duplicates included, and write nothing
  -h, --help              this help`;

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  users:create    create a user (e.g. the first admin); the password comes from stdin
  users:import    import users with their existing bcrypt or Argon2 hashes

Run "npm run cli -- <command> --help" for a command's options.`;

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
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(CREATE_HELP);
    return 0;
  }
  if (values.username === undefined) {
    throw new CliError('--username is required');
  }
  const input = {
    username: values.username,
    phone: values.phone,
    email: values.email,
    name: values.name,
    role: values.role,
  };
  const password = await readPassword();
  const user = await withServices((services) => createUser(services, { ...input, password }));
  console.log(`created user id=${user.id} username=${user.username} role=${user.role}`);
  console.log(`  name=${user.name} phone=${user.phone ?? '(none)'} email=${user.email ?? '(none)'}`);
  return 0;
}

async function usersImport(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(IMPORT_HELP);
    return 0;
  }
  if (values.file === undefined) {
    throw new CliError('--file is required');
  }
  const file = values.file;
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new CliError(`cannot read ${file}: ${e.message}`);
  });
  const records = parseImportFile(text);
  const dryRun = values['dry-run'] ?? false;
  const result = await withServices((services) => importUsers(services, records, { dryRun }));
  const verb = dryRun ? 'dry run: would import' : 'imported';
  console.log(`${verb} ${result.imported}, skipped ${result.skipped.length}${dryRun ? ', nothing written' : ''}`);
  if (result.ignoredFields.length > 0) {
    console.log(`  ignored unknown fields: ${result.ignoredFields.join(', ')}`);
  }
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

/** Runs one command line; returns the exit code. Output goes to the console, results on stdout, errors on stderr. */
export async function runCli(argv: string[]): Promise<number> {
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
