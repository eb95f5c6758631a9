import rolesConfig from '#src/platform/roles/roles.config.js';
import { BuiltInRoles, defineRoles, definedRoles } from '#src/platform/roles/role-registry.js';
import { RolesService } from '#src/platform/roles/roles.service.js';
import { Auth, type Role } from '#src/platform/index.js';

// A module's role, made known to the compiler the documented way.
const SpecRoles = defineRoles(['spec_auditor']);
declare module '#src/platform/index.js' {
  interface RoleNames {
    spec_auditor: true;
  }
}

function loadRoles(value: string | undefined) {
  const saved = process.env.ROLES;
  if (value === undefined) {
    delete process.env.ROLES;
  } else {
    process.env.ROLES = value;
  }
  try {
    return rolesConfig();
  } finally {
    if (saved === undefined) {
      delete process.env.ROLES;
    } else {
      process.env.ROLES = saved;
    }
  }
}

describe(defineRoles.name, () => {
  it('knows the built-in roles and those modules define', () => {
    expect(BuiltInRoles).toEqual({ user: 'user', admin: 'admin' });
    expect(SpecRoles.spec_auditor).toBe('spec_auditor');
    expect(definedRoles()).toEqual(expect.arrayContaining(['user', 'admin', 'spec_auditor']));
  });

  it('refuses a role defined twice and a name that is not a role name', () => {
    expect(() => defineRoles(['admin'])).toThrow('Role admin is defined twice');
    expect(() => defineRoles(['Support'])).toThrow('is not a role name');
    expect(() => defineRoles(['a'.repeat(21)])).toThrow('is not a role name');
    expect(definedRoles()).not.toContain('Support');
  });

  it('types @Auth: registered roles compile, others do not', () => {
    const roles: Role[] = ['user', 'admin', SpecRoles.spec_auditor];
    expect(typeof Auth(...roles)).toBe('function');
    // @ts-expect-error `wizard` is no registered role
    expect(typeof Auth('wizard')).toBe('function');
  });
});

describe(RolesService.name, () => {
  it('accepts built-in, module and configured roles and refuses any other', () => {
    const roles = new RolesService(loadRoles(' auditor , support,auditor'));
    for (const role of ['user', 'admin', 'spec_auditor', 'auditor', 'support']) {
      expect(roles.has(role)).toBe(true);
    }
    for (const role of ['wizard', 'Admin', '', 'auditor ']) {
      expect(roles.has(role)).toBe(false);
    }
    expect(roles.list().filter((role) => role === 'auditor')).toHaveLength(1);
  });

  it('has only the code-defined roles without ROLES', () => {
    const roles = new RolesService(loadRoles(undefined));
    expect(roles.has('auditor')).toBe(false);
    expect(roles.has('admin')).toBe(true);
  });

  it('stops the start on a bad ROLES value, naming the variable', () => {
    expect(() => loadRoles('auditor,Bad-Role')).toThrow(
      /Invalid configuration:\n {2}ROLES: "Bad-Role" is not a role name/,
    );
  });
});
