import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { isSupportedCountry } from 'libphonenumber-js';
import {
  assertStrongSecrets,
  appConfig,
  parseDurationSeconds,
  IsDuration,
  toBool,
  validateConfig,
  EnvDoc,
} from '#src/platform/index.js';

export const PURPOSES = ['login', 'reset_password', 'verify_phone', 'verify_email'] as const;
export type Purpose = (typeof PURPOSES)[number];
export type Channel = 'sms' | 'email';

const SMS_PROVIDERS = ['console', 'webhook', 'aliyun', 'tencent'] as const;
const EMAIL_PROVIDERS = ['console', 'webhook', 'smtp'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

class VerificationEnv {
  @EnvDoc('Digits in a verification code.', '6')
  @IsOptional()
  @IsInt()
  @Min(4)
  @Max(10)
  CODE_LENGTH?: number;
  @EnvDoc('How long a verification code stays valid.', '5m')
  @IsOptional()
  @IsDuration()
  CODE_TTL?: string;
  @EnvDoc(
    'Wrong tries one code allows; a new code starts its own, so a destination sees at most CODE_DAILY_MAX × this a day.',
    '5',
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  CODE_MAX_ATTEMPTS?: number;
  @EnvDoc('Per destination: one code request per this interval.', '60s')
  @IsOptional()
  @IsDuration()
  CODE_RESEND_INTERVAL?: string;
  @EnvDoc('Per destination: code requests a day.', '10')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CODE_DAILY_MAX?: number;
  @EnvDoc('Per client IP (per /64 for IPv6): code requests an hour.', '20')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CODE_IP_MAX?: number;
  @EnvDoc('Per client IP (/64 for IPv6): failed code confirmations an hour, across destinations.', '30')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CODE_VERIFY_IP_MAX?: number;
  @EnvDoc('All destinations together: codes actually sent an hour (bounds the SMS bill).', '1000')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  CODE_GLOBAL_MAX?: number;
  @EnvDoc('Per account: codes sent by POST /users/me/phone and /users/me/email a day.', '10')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CODE_ACCOUNT_MAX?: number;
  @EnvDoc('Retries of a failed send (logged without the code, counted in metrics).', '2')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  CODE_SEND_RETRIES?: number;
  @EnvDoc('Comma-separated regions (ISO 3166) SMS codes may go to; others are a 400 on phone.', 'CN')
  @IsOptional()
  @IsString()
  SMS_ALLOWED_REGIONS?: string;
  @EnvDoc('true: the first SMS-code login creates an account with that phone verified.', 'false')
  @IsOptional()
  @IsBooleanString()
  SMS_LOGIN_SIGNUP?: string;
  @EnvDoc(
    'console (development), webhook, aliyun or tencent; unset in production turns SMS off.',
    'console in development',
  )
  @IsOptional()
  @IsIn(SMS_PROVIDERS)
  SMS_PROVIDER?: SmsProvider;
  @EnvDoc('console (development), webhook or smtp; unset in production turns email off.', 'console in development')
  @IsOptional()
  @IsIn(EMAIL_PROVIDERS)
  EMAIL_PROVIDER?: EmailProvider;
  @EnvDoc("Key for the codes' keyed hash, 32+ characters.", 'derived from JWT_REFRESH_SECRET')
  @IsOptional()
  @IsString()
  @MinLength(32)
  CODE_SECRET?: string;
  @EnvDoc('webhook provider: where SMS codes are POSTed.', 'unset')
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  SMS_WEBHOOK_URL?: string;
  @EnvDoc('webhook provider: where email codes are POSTed.', 'unset')
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  EMAIL_WEBHOOK_URL?: string;
  @EnvDoc('HMAC-SHA256 key of the X-Gatehouse-Signature header, 32+ characters.', 'unset')
  @IsOptional()
  @IsString()
  @MinLength(32)
  WEBHOOK_SECRET?: string;
  @EnvDoc('smtp provider: e.g. smtps://user:pass@smtp.example.com:465.', 'unset')
  @IsOptional()
  @IsString()
  SMTP_URL?: string;
  @EnvDoc('smtp provider: the From address.', 'unset')
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;
  @EnvDoc('aliyun provider: AccessKey ID.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_ACCESS_KEY_ID?: string;
  @EnvDoc('aliyun provider: AccessKey secret.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_ACCESS_KEY_SECRET?: string;
  @EnvDoc('aliyun provider: SMS sign name.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_SMS_SIGN_NAME?: string;
  @EnvDoc('aliyun provider: API endpoint override.', 'dysmsapi.aliyuncs.com')
  @IsOptional()
  @IsString()
  ALIYUN_SMS_ENDPOINT?: string;
  @EnvDoc('aliyun provider: template code for login codes.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_SMS_TEMPLATE_LOGIN?: string;
  @EnvDoc('aliyun provider: template code for password-reset codes.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_SMS_TEMPLATE_RESET_PASSWORD?: string;
  @EnvDoc('aliyun provider: template code for phone-verification codes.', 'unset')
  @IsOptional()
  @IsString()
  ALIYUN_SMS_TEMPLATE_VERIFY_PHONE?: string;
  @EnvDoc(
    'aliyun provider: template for the notice to a phone a contact change replaced (no parameters); unset, that notice is not sent by SMS.',
    'unset',
  )
  @IsOptional()
  @IsString()
  ALIYUN_SMS_TEMPLATE_CONTACT_CHANGED?: string;
  @EnvDoc('tencent provider: SecretId.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SECRET_ID?: string;
  @EnvDoc('tencent provider: SecretKey.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SECRET_KEY?: string;
  @EnvDoc('tencent provider: SMS SdkAppId.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SMS_APP_ID?: string;
  @EnvDoc('tencent provider: SMS sign name.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SMS_SIGN_NAME?: string;
  @EnvDoc('tencent provider: API region.', 'ap-guangzhou')
  @IsOptional()
  @IsString()
  TENCENT_SMS_REGION?: string;
  @EnvDoc('tencent provider: API endpoint override.', 'the SDK default')
  @IsOptional()
  @IsString()
  TENCENT_SMS_ENDPOINT?: string;
  @EnvDoc('tencent provider: template id for login codes.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SMS_TEMPLATE_LOGIN?: string;
  @EnvDoc('tencent provider: template id for password-reset codes.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SMS_TEMPLATE_RESET_PASSWORD?: string;
  @EnvDoc('tencent provider: template id for phone-verification codes.', 'unset')
  @IsOptional()
  @IsString()
  TENCENT_SMS_TEMPLATE_VERIFY_PHONE?: string;
  @EnvDoc(
    'tencent provider: template for the notice to a phone a contact change replaced (no parameters); unset, that notice is not sent by SMS.',
    'unset',
  )
  @IsOptional()
  @IsString()
  TENCENT_SMS_TEMPLATE_CONTACT_CHANGED?: string;
}

/** Template ids by purpose, and of the contact-change notice (may be empty); SMS never carries `verify_email`. */
export type SmsTemplates = Record<Exclude<Purpose, 'verify_email'> | 'contact_changed', string>;

export interface VerificationConfig {
  codeLength: number;
  /** Seconds. */
  codeTtl: number;
  maxAttempts: number;
  resendInterval: number;
  dailyMax: number;
  ipMax: number;
  /** Failed confirmations per client IP (/64) an hour (SPEC §12). */
  verifyIpMax: number;
  globalMax: number;
  /** Contact-verification sends per account a day. */
  accountMax: number;
  sendRetries: number;
  /** ISO 3166 regions SMS may go to (SMS pumping: OWASP Forgot Password Cheat Sheet, "SMS toll fraud"). */
  smsAllowedRegions: string[];
  smsLoginSignup: boolean;
  /** Null: the channel is off (production without a provider). */
  smsProvider: SmsProvider | null;
  emailProvider: EmailProvider | null;
  /** Set when CODE_SECRET is; otherwise the code key is derived from JWT_REFRESH_SECRET. */
  codeSecret: string | null;
  webhook: { smsUrl: string | null; emailUrl: string | null; secret: string | null };
  smtp: { url: string | null; from: string };
  aliyun: {
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    endpoint: string;
    templates: SmsTemplates;
  };
  tencent: {
    secretId: string;
    secretKey: string;
    appId: string;
    signName: string;
    region: string;
    endpoint: string | null;
    templates: SmsTemplates;
  };
}

type Env = VerificationEnv;

function templates(env: Env, vendor: 'ALIYUN' | 'TENCENT'): SmsTemplates {
  const read = (purpose: string) =>
    (env as Record<string, string | undefined>)[`${vendor}_SMS_TEMPLATE_${purpose}`] ?? '';
  return {
    login: read('LOGIN'),
    reset_password: read('RESET_PASSWORD'),
    verify_phone: read('VERIFY_PHONE'),
    contact_changed: read('CONTACT_CHANGED'),
  };
}

/** Every setting a chosen provider needs, reported together (SPEC §2: one report naming every variable). */
function missingFor(env: Env, sms: SmsProvider | null, email: EmailProvider | null, production: boolean): string[] {
  const needed: string[] = [];
  if (production && (sms === 'console' || email === 'console')) {
    needed.push(
      `${sms === 'console' ? 'SMS_PROVIDER' : 'EMAIL_PROVIDER'}: console prints codes; refused in production`,
    );
  }
  const require = (names: string[], why: string) =>
    names.filter((n) => !(env as Record<string, unknown>)[n]).forEach((n) => needed.push(`${n}: required by ${why}`));
  if (sms === 'webhook') {
    require(['SMS_WEBHOOK_URL', 'WEBHOOK_SECRET'], 'SMS_PROVIDER=webhook');
  }
  if (email === 'webhook') {
    require(['EMAIL_WEBHOOK_URL', 'WEBHOOK_SECRET'], 'EMAIL_PROVIDER=webhook');
  }
  if (email === 'smtp') {
    require(['SMTP_URL', 'MAIL_FROM'], 'EMAIL_PROVIDER=smtp');
  }
  const vendorNeeds = {
    aliyun: ['ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME'],
    tencent: ['TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY', 'TENCENT_SMS_APP_ID', 'TENCENT_SMS_SIGN_NAME'],
  };
  if (sms === 'aliyun' || sms === 'tencent') {
    const prefix = sms.toUpperCase();
    require([
      ...vendorNeeds[sms],
      ...['LOGIN', 'RESET_PASSWORD', 'VERIFY_PHONE'].map((p) => `${prefix}_SMS_TEMPLATE_${p}`),
    ], `SMS_PROVIDER=${sms}`);
  }
  return needed;
}

/** Empty values count as unset, so a test can return a variable to its default. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export default registerAs('verification', (): VerificationConfig => {
  const env = validateConfig(withoutEmpty(process.env), VerificationEnv);
  const production = appConfig().env === 'production';
  // SPEC §12: console is the development default; in production an unset channel is off.
  const sms = env.SMS_PROVIDER ?? (production ? null : 'console');
  const email = env.EMAIL_PROVIDER ?? (production ? null : 'console');
  const regions = (env.SMS_ALLOWED_REGIONS ?? 'CN')
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  const problems = missingFor(env, sms, email, production);
  // SPEC §12: in production a webhook carries codes over https only.
  for (const name of ['SMS_WEBHOOK_URL', 'EMAIL_WEBHOOK_URL'] as const) {
    const url = env[name];
    if (production && url && !url.toLowerCase().startsWith('https://')) {
      problems.push(`${name}: must be an https:// URL in production`);
    }
  }
  // SPEC §10: every production secret gets the JWT secrets' entropy check.
  assertStrongSecrets(appConfig().env, { WEBHOOK_SECRET: env.WEBHOOK_SECRET, CODE_SECRET: env.CODE_SECRET });
  const unknown = regions.filter((r) => !isSupportedCountry(r));
  if (unknown.length > 0) {
    problems.push(`SMS_ALLOWED_REGIONS: ${unknown.join(', ')} not ISO 3166 regions libphonenumber knows`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return {
    codeLength: env.CODE_LENGTH ?? 6,
    codeTtl: parseDurationSeconds(env.CODE_TTL ?? '5m'),
    maxAttempts: env.CODE_MAX_ATTEMPTS ?? 5,
    resendInterval: Math.max(1, parseDurationSeconds(env.CODE_RESEND_INTERVAL ?? '60s')),
    dailyMax: env.CODE_DAILY_MAX ?? 10,
    ipMax: env.CODE_IP_MAX ?? 20,
    verifyIpMax: env.CODE_VERIFY_IP_MAX ?? 30,
    globalMax: env.CODE_GLOBAL_MAX ?? 1000,
    accountMax: env.CODE_ACCOUNT_MAX ?? 10,
    sendRetries: env.CODE_SEND_RETRIES ?? 2,
    smsAllowedRegions: regions,
    smsLoginSignup: toBool(env.SMS_LOGIN_SIGNUP, false),
    smsProvider: sms,
    emailProvider: email,
    codeSecret: env.CODE_SECRET ?? null,
    webhook: {
      smsUrl: env.SMS_WEBHOOK_URL ?? null,
      emailUrl: env.EMAIL_WEBHOOK_URL ?? null,
      secret: env.WEBHOOK_SECRET ?? null,
    },
    smtp: { url: env.SMTP_URL ?? null, from: env.MAIL_FROM ?? 'Gatehouse <no-reply@localhost>' },
    aliyun: {
      accessKeyId: env.ALIYUN_ACCESS_KEY_ID ?? '',
      accessKeySecret: env.ALIYUN_ACCESS_KEY_SECRET ?? '',
      signName: env.ALIYUN_SMS_SIGN_NAME ?? '',
      endpoint: env.ALIYUN_SMS_ENDPOINT ?? 'dysmsapi.aliyuncs.com',
      templates: templates(env, 'ALIYUN'),
    },
    tencent: {
      secretId: env.TENCENT_SECRET_ID ?? '',
      secretKey: env.TENCENT_SECRET_KEY ?? '',
      appId: env.TENCENT_SMS_APP_ID ?? '',
      signName: env.TENCENT_SMS_SIGN_NAME ?? '',
      region: env.TENCENT_SMS_REGION ?? 'ap-guangzhou',
      endpoint: env.TENCENT_SMS_ENDPOINT ?? null,
      templates: templates(env, 'TENCENT'),
    },
  };
});
