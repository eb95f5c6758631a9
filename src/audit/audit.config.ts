import { registerAs } from '@nestjs/config';
import { IsOptional } from 'class-validator';
import { parseDurationSeconds } from '#src/config/duration.js';
import { EnvDoc, IsDuration, validateConfig } from '#src/config/validate-config.js';

class AuditEnv {
  @EnvDoc('How long audit events are kept; 0 keeps them forever.', '90d')
  @IsOptional()
  @IsDuration()
  AUDIT_RETENTION?: string;
}

export interface AuditConfig {
  /** Seconds an audit event is kept; 0 keeps them forever. */
  retention: number;
}

export default registerAs('audit', (): AuditConfig => {
  const env = validateConfig(process.env, AuditEnv);
  return { retention: parseDurationSeconds(env.AUDIT_RETENTION ?? '90d') };
});
