import type { SocialErrors } from '#src/social/social.definitions.js';

/** 第三方登录模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof SocialErrors, string>; rules: { redirect_uri_not_allowed: string } } = {
  errors: {
    SOCIAL_LOGIN_FAILED: '第三方登录失败，请重新开始',
    IDENTITY_TAKEN: '该第三方账号已绑定到其他账户',
    LAST_SIGN_IN_METHOD: '这是该账户最后一种登录方式，请先添加其他方式再解绑',
  },
  rules: {
    redirect_uri_not_allowed: 'redirect_uri 不在允许的回调地址列表中',
  },
};

export default zhCN;
