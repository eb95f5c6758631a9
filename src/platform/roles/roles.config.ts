import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';
import { roleNameProblem } from '#src/common/role-registry.js';

class RolesEnv {
  @EnvDoc(
    'More roles besides user and admin (and those modules define), e.g. ROLES=auditor,support: lower case a-z 0-9 _, at most 20 characters. Default: unset.',
  )
  @IsOptional()
  @IsString()
  ROLES?: string;
}

export interface RolesConfig {
  /** SPEC §9: `ROLES=auditor,support` adds roles to the built-in ones and those modules define. */
  roles: string[];
}

export default registerAs('roles', (): RolesConfig => {
  const env = validateConfig(process.env, RolesEnv);
  const roles = (env.ROLES ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  const problems = roles.map(roleNameProblem).filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  ROLES: ${problems.join('; ')}`);
  }
  return { roles: [...new Set(roles)] };
});
