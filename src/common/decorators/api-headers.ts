import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** The device headers a new session records (shown in the session list and the login history). */
export const ApiDeviceHeaders = () =>
  applyDecorators(
    ApiHeader({
      name: 'X-Device-Id',
      required: false,
      description: 'A stable id of this device or browser, 8 to 128 characters of `A-Z a-z 0-9 . _ -`.',
      schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._-]{8,128}$' },
    }),
    ApiHeader({
      name: 'X-Device-Name',
      required: false,
      description: 'A name the user recognises, such as "Alice\'s laptop"; cut to 100 characters.',
      schema: { type: 'string', maxLength: 100 },
    }),
  );
