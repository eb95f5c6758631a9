import { plainToInstance } from 'class-transformer';
import { registerDecorator, validateSync, ValidationOptions } from 'class-validator';
import { ConfigError, deferConfigProblems } from '#src/config/config-report.js';
import { isDuration } from '#src/config/duration.js';

/** A value of the wrong kind fails its range checks too; only the kind is worth reading (`PORT=abc`). */
const TYPE_CONSTRAINTS = ['isInt', 'isNumber', 'isBooleanString', 'isString', 'isIn', 'matches', 'isDuration'];

/**
 * Validates one namespace's variables at start. A bad value stops the start
 * with a ConfigError that names every bad variable of the namespace (SPEC §2).
 * While the start-up report is collected, the refused variables are recorded and read as unset instead, so the
 * namespace's own checks after this one still run and report (issue 31.5).
 */
export function validateConfig<T extends object>(env: Record<string, string | undefined>, schema: new () => T): T {
  const instance = plainToInstance(schema, env, { enableImplicitConversion: true });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const constraints = Object.entries(e.constraints ?? {});
      const kind = constraints.filter(([name]) => TYPE_CONSTRAINTS.includes(name));
      const rules = (kind.length > 0 ? kind : constraints).map(([, message]) => message);
      return { variable: e.property, rule: rules.join('; ') };
    });
    if (!deferConfigProblems(problems)) {
      throw new ConfigError(problems);
    }
    for (const { property } of errors) {
      delete (instance as Record<string, unknown>)[property];
    }
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

/** One variable as `.env.example` lists it (issue 17.3). */
export interface EnvVariableDoc {
  /** The env class it belongs to, e.g. `JwtEnv`; a pattern's section name otherwise. */
  section: string;
  name: string;
  /** The value used when the variable is unset, as an operator would write it; '' when there is none. */
  default: string;
  meaning: string;
}

const envDocs = new Map<string, EnvVariableDoc>();

/** Every documented variable, in the order the config files declared them. */
export function documentedEnv(): EnvVariableDoc[] {
  return [...envDocs.values()];
}

/**
 * Documents one variable of an env class beside its rules, so `.env.example` is generated from the same schema
 * that validates it: `@EnvDoc('HTTP port', '3000') @IsOptional() @IsInt() PORT?: number;`
 */
export function EnvDoc(meaning: string, defaultValue = '') {
  return (object: object, name: string) => {
    envDocs.set(name, { section: object.constructor.name, name, default: defaultValue, meaning });
  };
}

/** Documents a family of variables no class lists one by one, such as `RATE_LIMIT_<NAME>`. */
export function documentEnvPattern(section: string, name: string, meaning: string, example: string): void {
  envDocs.set(name, { section, name, default: example, meaning });
}
