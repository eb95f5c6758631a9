/** How a module declares one of its error codes: the HTTP status and the message used when a throw site gives none. */
export interface ErrorCodeSpec {
  status: number;
  message: string;
}

/** A registered error code; `code` is the stable string clients branch on (SPEC §3), never the message. */
export interface ErrorDefinition<C extends string = string> {
  readonly code: C;
  readonly status: number;
  readonly message: string;
}

export type ErrorDefinitions<T extends Record<string, ErrorCodeSpec>> = {
  readonly [K in keyof T & string]: ErrorDefinition<K>;
};

const registry = new Map<string, ErrorDefinition>();

/**
 * Registers a module's error codes and returns them by name, e.g.
 * `export const ReportErrors = defineErrorCodes({ REPORT_TOO_BIG: { status: 413, message: 'The report is too big' } })`
 * then `throw new AppException(ReportErrors.REPORT_TOO_BIG)`. Call it at module top level, so a code defined twice
 * (two modules claiming one code with different meanings) stops the start instead of answering ambiguously.
 */
export function defineErrorCodes<const T extends Record<string, ErrorCodeSpec>>(specs: T): ErrorDefinitions<T> {
  const defined: Record<string, ErrorDefinition> = {};
  for (const [code, spec] of Object.entries(specs)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) {
      throw new Error(`Error code ${code} must be UPPER_SNAKE_CASE`);
    }
    if (registry.has(code)) {
      throw new Error(`Error code ${code} is defined twice`);
    }
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new Error(`Error code ${code} needs a 4xx or 5xx status, not ${spec.status}`);
    }
    const definition = Object.freeze({ code, status: spec.status, message: spec.message });
    registry.set(code, definition);
    defined[code] = definition;
  }
  return Object.freeze(defined) as ErrorDefinitions<T>;
}

/** The definition of a registered code, or undefined. */
export function findErrorCode(code: string): ErrorDefinition | undefined {
  return registry.get(code);
}

/** Every registered code, for the exception filter, message catalogs and the API documentation. */
export function registeredErrorCodes(): readonly ErrorDefinition[] {
  return [...registry.values()];
}
