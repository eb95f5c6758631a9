import type { WebhookErrors } from '#src/webhooks/webhooks.definitions.js';

/** Webhook 模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof WebhookErrors, string> } = {
  errors: {
    WEBHOOK_URL_NOT_ALLOWED: 'Webhook 地址不被允许：生产环境中必须使用 https 并指向公网地址',
    WEBHOOK_EVENT_UNKNOWN: '事件必须是已注册的审计事件类型，或 ["*"]',
    WEBHOOK_DELIVERY_PENDING: '该投递仍在等待中；投递成功或失败后才能重新投递',
  },
};

export default zhCN;
