import { registerAs } from '@nestjs/config';
import { IsOptional } from 'class-validator';
import { parseDurationSeconds } from '#src/config/duration.js';
import { IsDuration, validateConfig } from '#src/config/validate-config.js';

class AuditEnv {
  @IsOptional() @IsDuration() AUDIT_RETENTION?: string;
}

export interface AuditConfig {
  /** Seconds an audit event is kept; 0 keeps them forever. */
  retention: number;
}

export default registerAs('audit', (): AuditConfig => {
  const env = validateConfig(process.env, AuditEnv);
  return { retention: parseDurationSeconds(env.AUDIT_RETENTION ?? '90d') };
});
