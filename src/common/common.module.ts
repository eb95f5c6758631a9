import { Global, Module } from '@nestjs/common';
import { PasswordConstraint, PhoneConstraint } from '#src/common/validation/decorators.js';

/** Validator constraints that read configuration, resolved by class-validator through `useContainer`. */
@Global()
@Module({
  providers: [PasswordConstraint, PhoneConstraint],
  exports: [PasswordConstraint, PhoneConstraint],
})
export class CommonModule {}
