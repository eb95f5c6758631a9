import { defineRoles } from '#src/platform/index.js';
import rolesConfig from '#src/platform/roles/roles.config.js';
import { RolesService } from '#src/platform/roles/roles.service.js';

// Not role-registry.spec's role: with isolate: false both files may share one registry.
defineRoles(['spec_roles_auditor']);

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

describe(RolesService.name, () => {
  it('accepts built-in, module and configured roles and refuses any other', () => {
    const roles = new RolesService(loadRoles(' auditor , support,auditor'));
    for (const role of ['user', 'admin', 'spec_roles_auditor', 'auditor', 'support']) {
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
