import type { VerificationErrors } from '#src/verification/verification.errors.js';

/** 验证码模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof VerificationErrors, string> } = {
  errors: {
    CODE_INVALID: '验证码错误或已失效，请重新获取',
    CHANNEL_DISABLED: '暂不支持通过此渠道发送验证码',
  },
};

export default zhCN;
