import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Schema facts that custom validators hide from the Swagger plugin, with examples that pass them: the values
 * "Try it out" pre-fills. Only documentation; the validators themselves decide.
 */
export const DEMO_PASSWORD = 'Gatehouse-Demo-2026';
export const DEMO_PHONE = '+8613800138000';

/**
 * The account Swagger's examples register, log in, send codes to and reset: its own names and numbers, which neither
 * the demo page's nor a test's use, so "Try it out" succeeds as sent on a server where the demo has been used.
 */
export const SWAGGER_USER = {
  username: 'swagger-demo',
  password: DEMO_PASSWORD,
  phone: '+8613900000001',
  email: 'swagger-demo@example.com',
};

/** A password field: at most 128 code points (SPEC §4), shown masked. */
export const ApiPasswordField = (example = DEMO_PASSWORD) =>
  applyDecorators(ApiProperty({ type: String, format: 'password', minLength: 1, maxLength: 128, example }));

/** A phone number: E.164, or a national number read in DEFAULT_PHONE_REGION. */
export const ApiPhoneField = (options: { required: boolean }) =>
  applyDecorators(
    (options.required ? ApiProperty : ApiPropertyOptional)({ type: String, maxLength: 32, example: DEMO_PHONE }),
  );

/** A one-time code received by SMS or email. */
export const ApiCodeField = () =>
  applyDecorators(ApiProperty({ type: String, pattern: '^[0-9]{4,10}$', example: '123456' }));
