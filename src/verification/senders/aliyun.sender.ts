import dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { Config } from '@alicloud/openapi-client';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { VerificationConfig } from '#src/verification/verification.config.js';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';

// The SDK is CommonJS with `exports.default = Client`: Node's ESM loader hands over the module object, bundlers
// (Vitest) the class itself.
const loaded = dysmsapi as unknown as { default?: unknown };
const Client = (typeof loaded.default === 'function' ? loaded.default : dysmsapi) as typeof dysmsapi.default;

/** Aliyun SMS through its official SDK (SPEC §12); `ALIYUN_SMS_ENDPOINT` points it elsewhere for tests. */
export class AliyunSender implements CodeSender {
  readonly name = 'aliyun';
  private readonly client: InstanceType<typeof Client>;

  constructor(private readonly config: VerificationConfig['aliyun']) {
    const local = /^(127\.|localhost|\[::1\])/.test(config.endpoint);
    this.client = new Client(
      new Config({
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        endpoint: config.endpoint,
        protocol: local ? 'http' : 'https',
        readTimeout: 5000,
        connectTimeout: 5000,
      }),
    );
  }

  async send(m: CodeMessage): Promise<void> {
    if (m.purpose === 'verify_email') {
      throw new Error('aliyun sends SMS only');
    }
    if (!this.config.templates[m.purpose]) {
      throw new Error(`aliyun has no template for ${m.purpose}`);
    }
    // Mainland numbers go without the country code; others with it, in the 00 form Aliyun documents.
    const parsed = parsePhoneNumberFromString(m.to);
    const phone = parsed?.countryCallingCode === '86' ? parsed.nationalNumber : `00${m.to.slice(1)}`;
    const res = await this.client.sendSms(
      new SendSmsRequest({
        phoneNumbers: phone,
        signName: this.config.signName,
        templateCode: this.config.templates[m.purpose],
        // A notice (contact_changed) carries no code: its template has no parameters.
        templateParam: JSON.stringify(m.code ? { code: m.code } : {}),
      }),
    );
    if (res.body?.code !== 'OK') {
      throw new Error(`aliyun answered ${res.body?.code ?? 'nothing'}`);
    }
  }
}
