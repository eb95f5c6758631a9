import { plainToInstance } from 'class-transformer';
import { registerDecorator, validateSync, ValidationOptions } from 'class-validator';
import { isDuration } from '#src/config/duration.js';

/**
 * Validates one namespace's variables at start. A bad value stops the start
 * with a message that names the variable (SPEC §2).
 */
export function validateConfig<T extends object>(env: Record<string, string | undefined>, schema: new () => T): T {
  const instance = plainToInstance(schema, env, { enableImplicitConversion: true });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return instance;
}

/** `10s`, `15m`, `24h`, `7d` or a number of seconds. */
export function IsDuration(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDuration',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a number of seconds or a duration such as 10s, 15m, 24h, 7d`,
        ...options,
      },
      validator: { validate: (value: unknown) => isDuration(value) },
    });
}

/** Reads a boolean variable: `true/false/1/0/yes/no`. */
export function toBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') {
    return fallback;
  }
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}
