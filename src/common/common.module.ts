import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '#src/common/clock.js';
import { PasswordConstraint, PhoneConstraint } from '#src/common/validation/decorators.js';

/**
 * Validator constraints that read configuration, resolved by class-validator through `useContainer`, and the
 * clock every service reads time from (tests override `Clock` with a `ManualClock`).
 */
@Global()
@Module({
  providers: [PasswordConstraint, PhoneConstraint, { provide: Clock, useClass: SystemClock }],
  exports: [PasswordConstraint, PhoneConstraint, Clock],
})
export class CommonModule {}
