import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { VerificationConfig } from '#src/verification/verification.config.js';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';

type SmsClient = InstanceType<typeof sms.v20210111.Client>;

/** Tencent Cloud SMS through its official SDK (SPEC §12); `TENCENT_SMS_ENDPOINT` points it elsewhere for tests. */
export class TencentSender implements CodeSender {
  readonly name = 'tencent';
  private readonly client: SmsClient;

  constructor(private readonly config: VerificationConfig['tencent']) {
    const endpoint = config.endpoint;
    const local = endpoint !== null && /^(127\.|localhost|\[::1\])/.test(endpoint);
    this.client = new sms.v20210111.Client({
      credential: { secretId: config.secretId, secretKey: config.secretKey },
      region: config.region,
      profile: {
        httpProfile: { ...(endpoint ? { endpoint } : {}), protocol: local ? 'http://' : 'https://', reqTimeout: 5 },
      },
    });
  }

  async send(m: CodeMessage): Promise<void> {
    if (m.purpose === 'verify_email') {
      throw new Error('tencent sends SMS only');
    }
    if (!this.config.templates[m.purpose]) {
      throw new Error(`tencent has no template for ${m.purpose}`);
    }
    const res = await this.client.SendSms({
      PhoneNumberSet: [m.to],
      SmsSdkAppId: this.config.appId,
      SignName: this.config.signName,
      TemplateId: this.config.templates[m.purpose],
      // A notice (contact_changed) carries no code: its template has no parameters.
      TemplateParamSet: m.code ? [m.code, String(Math.max(1, Math.round(m.expires_in / 60)))] : [],
    });
    const status = res.SendStatusSet?.[0]?.Code;
    if (status !== 'Ok') {
      throw new Error(`tencent answered ${status ?? 'nothing'}`);
    }
  }
}
