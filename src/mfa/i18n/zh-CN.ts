import type { MfaErrors } from '#src/mfa/mfa.errors.js';

/** 双因素认证模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof MfaErrors, string> } = {
  errors: {
    MFA_INVALID: '验证码错误或已被使用',
    MFA_ALREADY_ENABLED: 'TOTP 已经启用',
  },
};

export default zhCN;
