import { catalogDifferences, placeholdersOf } from '#src/common/i18n/completeness.js';
import en from '../../console/src/en.js';
import zhCN from '../../console/src/zh-CN.js';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { RecoveryCodesAudit } from '#src/mfa/recovery-codes-regeneration.service.js';
import { SocialAudit } from '#src/social/social.definitions.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';
import { WebhookAudit } from '#src/webhooks/webhooks.definitions.js';

/** SPEC §14, §17: every console string exists in zh-CN and en, and every event type has a readable name. */
describe('admin console strings', () => {
  it('has every string in every locale, quoting the same params', () => {
    expect(catalogDifferences({ en, 'zh-CN': zhCN })).toEqual([]);
    for (const [key, text] of Object.entries(en)) {
      expect(placeholdersOf(zhCN[key as keyof typeof en]).sort(), key).toEqual(placeholdersOf(text).sort());
    }
  });

  it('names every audit event type the built-in modules record, so operators never read a raw code', () => {
    // A team module's own types show as they are named (eventName falls back to the type).
    const builtIn = [CoreAudit, VerificationAudit, RecoveryCodesAudit, SocialAudit, WebhookAudit].flatMap(
      (types) => Object.values(types) as string[],
    );
    expect(builtIn.filter((type) => !(`event.${type}` in en))).toEqual([]);
  });
});
