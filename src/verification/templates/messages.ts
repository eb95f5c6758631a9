import type { Purpose } from '#src/verification/verification.config.js';
import type { CodeMessage, Locale } from '#src/verification/code-message.js';

const WHAT: Record<Locale, Record<Purpose, string>> = {
  en: {
    login: 'sign in',
    reset_password: 'reset your password',
    verify_phone: 'verify your phone number',
    verify_email: 'verify your email address',
  },
  'zh-CN': {
    login: '登录',
    reset_password: '重置密码',
    verify_phone: '验证手机号',
    verify_email: '验证邮箱',
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The subject, text and HTML of a code message, in its locale (SPEC §14: every code message in both). */
export function renderCodeMessage(m: CodeMessage): { subject: string; text: string; html: string } {
  const minutes = Math.max(1, Math.round(m.expires_in / 60));
  const what = WHAT[m.locale][m.purpose];
  if (m.locale === 'zh-CN') {
    const text = `您的验证码是 ${m.code}，用于${what}，${minutes} 分钟内有效。如非本人操作，请忽略本消息。`;
    return {
      subject: `Gatehouse 验证码：${m.code}`,
      text,
      html: `<p>您的验证码是 <strong>${escapeHtml(m.code)}</strong>，用于${escapeHtml(what)}，${minutes} 分钟内有效。</p><p>如非本人操作，请忽略本消息。</p>`,
    };
  }
  const text = `Your code to ${what} is ${m.code}. It expires in ${minutes} minutes. If you did not ask for it, ignore this message.`;
  return {
    subject: `Your Gatehouse code: ${m.code}`,
    text,
    html: `<p>Your code to ${escapeHtml(what)} is <strong>${escapeHtml(m.code)}</strong>.</p><p>It expires in ${minutes} minutes. If you did not ask for it, ignore this message.</p>`,
  };
}

/** `zh`, `zh-Hans`, `zh-CN` mean zh-CN; q-values honoured (SPEC §14); anything else falls back to English. */
export function localeOf(acceptLanguage: string | undefined): Locale {
  let best: { locale: Locale; q: number } = { locale: 'en', q: 0 };
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const q = Number(
      params
        .find((p) => p.trim().startsWith('q='))
        ?.trim()
        .slice(2) ?? 1,
    );
    const lower = tag.toLowerCase();
    const locale: Locale | null = lower.startsWith('zh') ? 'zh-CN' : lower.startsWith('en') ? 'en' : null;
    if (locale && Number.isFinite(q) && q > best.q) {
      best = { locale, q };
    }
  }
  return best.locale;
}
