import { AppException } from '#src/common/app.exception.js';

/** A failure the user can fix: printed as its message alone, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** One readable line for an error: our own messages and field errors, never a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof AppException) {
    const fields = e.options.errors?.map((error) => error.message) ?? [];
    return fields.length > 0 ? fields.join('; ') : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
