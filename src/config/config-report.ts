/** One broken rule of one variable, e.g. `{ variable: 'PORT', rule: 'must be an integer number' }`. */
export interface ConfigProblem {
  variable: string;
  rule: string;
}

const HEADER = 'Invalid configuration:';

/**
 * A configuration refused at start. Its message keeps the `Invalid configuration:\n  NAME: rule` shape that
 * `createTestApp()` callers match on; `problems` is what the start-up report prints (SPEC §2).
 */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`${HEADER}\n${problems.map((p) => `  ${p.variable}: ${p.rule}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The problems an error thrown by a config factory describes. Factories that throw a plain
 * `Error('Invalid configuration:\n  NAME: rule')` are read line by line; any other error (a key file that
 * cannot be read) becomes one problem without a variable.
 */
export function problemsOf(error: unknown): ConfigProblem[] {
  if (error instanceof ConfigError) {
    return error.problems;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith(HEADER)) {
    return [{ variable: '', rule: message.split('\n')[0] }];
  }
  return message
    .slice(HEADER.length)
    .split('\n')
    .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*): (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, variable, rule]) => ({ variable, rule }));
}

/**
 * OWASP ASVS 5.0 V16.2.5 and the OWASP Logging Cheat Sheet: secrets never reach a log. A variable named like a
 * secret is hidden whole; a URL keeps its shape but loses its password.
 */
const SECRET_NAME = /SECRET|KEY|PASSWORD|TOKEN/i;

export function maskValue(variable: string, value: string | undefined): string {
  if (value === undefined) {
    return '(unset)';
  }
  if (SECRET_NAME.test(variable)) {
    return '****';
  }
  try {
    const url = new URL(value);
    if (url.password) {
      url.password = '****';
      return url.toString();
    }
  } catch {
    // Not a URL the WHATWG parser reads, such as redis-cluster://user:pass@h1:7000,h2:7000: its userinfo is still
    // masked, so a password never reaches the report.
    const userinfo = /^([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]*@/i.exec(value);
    if (userinfo) {
      return JSON.stringify(`${userinfo[1]}****@${value.slice(userinfo[0].length)}`);
    }
  }
  return JSON.stringify(value);
}

/** One block for stderr: every problem once, each with its variable, its (masked) value and the rule broken. */
export function formatConfigReport(problems: ConfigProblem[], env: Record<string, string | undefined>): string {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.variable}\n${p.rule}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const lines = unique.map(({ variable, rule }) => {
    if (!variable) {
      return `  ✗ ${rule}`;
    }
    // class-validator's messages start with the property name, which the line already gives.
    const text = rule.startsWith(`${variable} `) ? rule.slice(variable.length + 1) : rule;
    return `  ✗ ${variable}=${maskValue(variable, env[variable])}: ${text}`;
  });
  const count = unique.length === 1 ? '1 configuration problem' : `${unique.length} configuration problems`;
  return [
    `Gatehouse cannot start: ${count}.`,
    ...lines,
    'Set these in the environment or in .env (every variable is listed in .env.example), then start again.',
  ].join('\n');
}

/** The problems of the check `collectConfigProblems` is running, which `validateConfig` adds to instead of throwing. */
let deferred: ConfigProblem[] | undefined;

/**
 * Called by `validateConfig` with a namespace's failed type checks: true when a report is being collected, so the
 * factory goes on (the refused variables read as unset) and its later checks are reported too; false to throw.
 */
export function deferConfigProblems(problems: ConfigProblem[]): boolean {
  deferred?.push(...problems);
  return deferred !== undefined;
}

/**
 * Runs every check (each config factory) and gathers what all of them refuse, instead of stopping at the first: every
 * namespace, and within one namespace its type checks and the checks after them (issue 31.5).
 */
export function collectConfigProblems(checks: Array<() => unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const check of checks) {
    const own: ConfigProblem[] = [];
    deferred = own;
    try {
      check();
    } catch (error) {
      const thrown = problemsOf(error);
      // A factory tripping over a value its type check refused says nothing the type check has not said.
      if (own.length === 0 || thrown.some((p) => p.variable !== '')) {
        own.push(...thrown);
      }
    } finally {
      deferred = undefined;
    }
    problems.push(...own);
  }
  return problems;
}

/**
 * A start that fails for a reason outside the config (database unreachable, port in use): its message is the whole
 * report, naming the variable to change, and is printed without a stack trace (SPEC §10).
 */
export class StartError extends Error {
  constructor(
    readonly variable: string,
    report: string,
  ) {
    super(report);
    this.name = 'StartError';
  }
}

/** What `main.ts` prints when the start fails: the one config or start report, or the stack of anything else. */
export function startFailureText(error: unknown): string {
  if (error instanceof StartError) {
    return error.message;
  }
  const problems = problemsOf(error);
  const isConfig = error instanceof ConfigError || problems.some((p) => p.variable !== '');
  // The environment is read here only to show each refused value, masked.
  return isConfig ? formatConfigReport(problems, process.env) : ((error as Error).stack ?? String(error));
}
