import { Auth } from '#src/common/decorators/roles.decorator.js';
import { BuiltInRoles, defineRoles, definedRoles, type Role } from '#src/common/role-registry.js';

// A module's role, made known to the compiler the documented way (through the public import path).
const SpecRoles = defineRoles(['spec_auditor']);
declare module '#src/platform/index.js' {
  interface RoleNames {
    spec_auditor: true;
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
