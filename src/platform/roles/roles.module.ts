import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { RegisteredRoleConstraint } from '#src/platform/roles/is-registered-role.validator.js';
import rolesConfig from '#src/platform/roles/roles.config.js';
import { RolesService } from '#src/platform/roles/roles.service.js';

/** Import it where a role name from outside must be checked (the admin API). */
@Module({
  imports: [ConfigModule.forFeature(rolesConfig)],
  providers: [RolesService, RegisteredRoleConstraint],
  exports: [RolesService, RegisteredRoleConstraint],
})
export class RolesModule {}
