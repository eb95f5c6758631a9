/**
 * Role names the type checker knows, so `@Auth('admin')` is checked and `@Auth('amdin')` does not compile.
 * A module that defines a role adds its name here by declaration merging:
 *
 *     export const ReportRoles = defineRoles(['auditor']);
 *     declare module '#src/platform/index.js' {
 *       interface RoleNames { auditor: true }
 *     }
 *
 * Roles that only come from `ROLES=` are known at run time, not to the compiler.
 */
export interface RoleNames {
  user: true;
  admin: true;
}

export type Role = Extract<keyof RoleNames, string>;

/** Lower case, short enough for `users.role` (VARCHAR(20)) and for an `IP_ALLOWLIST_<ROLE>` variable. */
const ROLE_NAME = /^[a-z][a-z0-9_]{0,19}$/;

const defined = new Set<string>();

/** Why `name` cannot be a role, or undefined when it can. */
export function roleNameProblem(name: string): string | undefined {
  return ROLE_NAME.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a role name: 1 to 20 of a-z 0-9 _, starting with a letter`;
}

/**
 * Registers roles a module brings, at module top level, and returns them by name
 * (`ReportRoles.auditor === 'auditor'`). The admin API then accepts them for `PATCH /admin/users/:id`.
 * Two modules defining one role stop the start: a role's meaning belongs to one module.
 */
export function defineRoles<const R extends string>(names: readonly R[]): { readonly [K in R]: K } {
  const roles: Record<string, string> = {};
  for (const name of names) {
    const problem = roleNameProblem(name);
    if (problem) {
      throw new Error(problem);
    }
    if (defined.has(name)) {
      throw new Error(`Role ${name} is defined twice`);
    }
    defined.add(name);
    roles[name] = name;
  }
  return Object.freeze(roles) as { readonly [K in R]: K };
}

/** SPEC §9: the two roles every deployment has. */
export const BuiltInRoles = defineRoles(['user', 'admin']);

/** Every role defined in code (built-in and by modules); `RolesService` adds the configured ones. */
export function definedRoles(): readonly string[] {
  return [...defined];
}
