import { Inject, Injectable } from '@nestjs/common';
import rolesConfig, { type RolesConfig } from '#src/platform/roles/roles.config.js';
import { definedRoles } from '#src/common/role-registry.js';

/** The roles this deployment knows: built-in, defined by a module, and configured with `ROLES=` (SPEC §9). */
@Injectable()
export class RolesService {
  private readonly roles: ReadonlySet<string>;

  constructor(@Inject(rolesConfig.KEY) config: RolesConfig) {
    this.roles = new Set([...definedRoles(), ...config.roles]);
  }

  has(role: string): boolean {
    return this.roles.has(role);
  }

  list(): string[] {
    return [...this.roles];
  }
}
