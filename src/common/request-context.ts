import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';

/** Who is asking, from where: recorded on sessions and audit events. */
export interface RequestContext {
  ip: string;
  userAgent: string | null;
  deviceId: string | null;
  deviceName: string | null;
}

const DEVICE_ID = /^[A-Za-z0-9._-]{8,128}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function clip(value: string | undefined, max: number): string | null {
  const clean = value?.replace(CONTROL_CHARS, '').trim();
  return clean ? clean.slice(0, max) : null;
}

export function requestContextOf(request: FastifyRequest): RequestContext {
  const deviceId = header(request, 'x-device-id');
  if (deviceId !== undefined && !DEVICE_ID.test(deviceId)) {
    throw new AppException(CoreErrors.VALIDATION_FAILED, {
      errors: [{ field: 'X-Device-Id', rule: 'pattern' }],
    });
  }
  return {
    // The socket address, or what a trusted proxy says (Fastify `trustProxy`).
    ip: request.ip,
    userAgent: clip(header(request, 'user-agent'), 255),
    deviceId: deviceId ?? null,
    deviceName: clip(header(request, 'x-device-name'), 100),
  };
}

/** The caller's IP, user agent and device headers. */
export const ReqContext = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  requestContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
