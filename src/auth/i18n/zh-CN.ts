import type { AuthErrors } from '#src/auth/auth.errors.js';

/** 登录模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof AuthErrors, string> } = {
  errors: {
    REAUTH_REQUIRED: '请重新登录后再进行此项修改：当前会话已登录太久',
  },
};

export default zhCN;
