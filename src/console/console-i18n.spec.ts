import { catalogDifferences, placeholdersOf } from '#src/common/i18n/completeness.js';
import en from '../../console/src/en.js';
import zhCN from '../../console/src/zh-CN.js';
import { auditEventTypes } from '#src/audit/audit-event-type.js';
import '#src/app.module.js';

/** SPEC §14, §17: every console string exists in zh-CN and en, and every event type has a readable name. */
describe('admin console strings', () => {
  it('has every string in every locale, quoting the same params', () => {
    expect(catalogDifferences({ en, 'zh-CN': zhCN })).toEqual([]);
    for (const [key, text] of Object.entries(en)) {
      expect(placeholdersOf(zhCN[key as keyof typeof en]).sort(), key).toEqual(placeholdersOf(text).sort());
    }
  });

  it('names every audit event type the app registers, so operators never read a raw code', () => {
    const unnamed = auditEventTypes().filter((type) => !(`event.${type}` in en));
    // The example module's own type is a team's code, not the console's to name.
    expect(unnamed.filter((type) => type !== 'report_exported')).toEqual([]);
  });
});
