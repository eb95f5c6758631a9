import type { VerificationErrors } from '#src/verification/verification.errors.js';
import type { templates } from '#src/verification/i18n/en.js';

/** 验证码模块的中文消息：每个错误码、每条短信和邮件模板都必须有译文（类型检查强制）。 */
const zhCN: {
  errors: Record<keyof typeof VerificationErrors, string>;
  rules: { phone_or_email: string; mobile_only: string };
  templates: Record<keyof typeof templates, string>;
} = {
  errors: {
    CODE_INVALID: '验证码错误或已失效，请重新获取',
    CHANNEL_DISABLED: '暂不支持通过此渠道发送验证码',
  },
  rules: {
    phone_or_email: '手机号和邮箱只能填写一个',
    mobile_only: '{{field}}必须是手机号码：验证码通过短信发送',
  },
  templates: {
    'sms.login': '您的验证码是 {{code}}，用于登录，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.login.subject': 'Gatehouse 验证码：{{code}}',
    'email.login.text': '您的验证码是 {{code}}，用于登录，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.login.html':
      '<p>您的验证码是 <strong>{{code}}</strong>，用于登录，{{minutes}} 分钟内有效。</p><p>如非本人操作，请忽略本消息。</p>',
    'sms.reset_password': '您的验证码是 {{code}}，用于重置密码，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.reset_password.subject': 'Gatehouse 验证码：{{code}}',
    'email.reset_password.text':
      '您的验证码是 {{code}}，用于重置密码，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.reset_password.html':
      '<p>您的验证码是 <strong>{{code}}</strong>，用于重置密码，{{minutes}} 分钟内有效。</p><p>如非本人操作，请忽略本消息。</p>',
    'sms.verify_phone': '您的验证码是 {{code}}，用于验证手机号，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.verify_phone.subject': 'Gatehouse 验证码：{{code}}',
    'email.verify_phone.text':
      '您的验证码是 {{code}}，用于验证手机号，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.verify_phone.html':
      '<p>您的验证码是 <strong>{{code}}</strong>，用于验证手机号，{{minutes}} 分钟内有效。</p><p>如非本人操作，请忽略本消息。</p>',
    'sms.verify_email': '您的验证码是 {{code}}，用于验证邮箱，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.verify_email.subject': 'Gatehouse 验证码：{{code}}',
    'email.verify_email.text':
      '您的验证码是 {{code}}，用于验证邮箱，{{minutes}} 分钟内有效。如非本人操作，请忽略本消息。',
    'email.verify_email.html':
      '<p>您的验证码是 <strong>{{code}}</strong>，用于验证邮箱，{{minutes}} 分钟内有效。</p><p>如非本人操作，请忽略本消息。</p>',
    'sms.contact_changed':
      '您的 Gatehouse 账号的手机号或邮箱刚刚被更改，本号码已不能再登录。如非本人操作，请立即重置密码。',
    'email.contact_changed.subject': '您的 Gatehouse 账号联系方式已被更改',
    'email.contact_changed.text':
      '您的 Gatehouse 账号的手机号或邮箱刚刚被更改，本邮箱已不能再登录或接收重置验证码。如非本人操作，请立即重置密码并联系管理员。',
    'email.contact_changed.html':
      '<p>您的 Gatehouse 账号的手机号或邮箱刚刚被更改，本邮箱已不能再登录或接收重置验证码。</p><p>如非本人操作，请立即重置密码并联系管理员。</p>',
  },
};

export default zhCN;
