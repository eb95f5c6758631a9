import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreAudit, auditEventTypes, defineAuditEventTypes, isAuditEventType } from '#src/audit/audit-event-type.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

describe(defineAuditEventTypes.name, () => {
  it('starts with every built-in type', () => {
    expect(auditEventTypes()).toEqual(expect.arrayContaining(Object.values(CoreAudit)));
    expect(isAuditEventType('login_failure')).toBe(true);
  });

  it('adds a module type, returned by name', () => {
    expect(isAuditEventType('report_export')).toBe(false);
    const ReportAudit = defineAuditEventTypes(['report_export']);
    expect(ReportAudit.report_export).toBe('report_export');
    expect(isAuditEventType('report_export')).toBe(true);
  });

  it('refuses a type defined twice, or a name the column or the convention cannot hold', () => {
    defineAuditEventTypes(['report_delete']);
    expect(() => defineAuditEventTypes(['report_delete'])).toThrow('Audit event type report_delete is defined twice');
    expect(() => defineAuditEventTypes(['login_success'])).toThrow('defined twice');
    expect(() => defineAuditEventTypes(['Report-Export'])).toThrow('a-z 0-9 _');
    expect(() => defineAuditEventTypes(['x'.repeat(41)])).toThrow('1 to 40');
    expect(isAuditEventType('Report-Export')).toBe(false);
  });

  it('does not take a non-string as a type', () => {
    expect(isAuditEventType(undefined)).toBe(false);
    expect(isAuditEventType(['login_success'])).toBe(false);
  });
});

/** The source without its comments, whose examples (`defineAuditEventTypes(['report_export'])`) define nothing. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('lists exactly the audit event types the built-in modules define, so a new one cannot go unmentioned', () => {
    // Every `defineAuditEventTypes([...])` under src/, read from the sources so no list can be forgotten here;
    // examples/ shows a team's module and is not built in.
    const src = fileURLToPath(new URL('..', import.meta.url));
    const defined = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith('examples'))
      .flatMap((file) =>
        [
          ...withoutComments(readFileSync(join(src, file), 'utf8')).matchAll(/defineAuditEventTypes\(\[([^\]]*)\]\)/g),
        ].flatMap((call) => [...call[1].matchAll(/'([a-z0-9_]+)'/g)].map((name) => name[1])),
      );
    expect(defined).toEqual(expect.arrayContaining([...Object.values(CoreAudit), ...Object.values(VerificationAudit)]));
    const paragraph = readme.slice(readme.indexOf('The audit trail (`GET /admin/audit-events'));
    const listed = [...paragraph.slice(0, paragraph.indexOf('\n\n')).matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]);
    expect(listed.toSorted()).toEqual(defined.toSorted());
  });

  it('cites no SPEC section numbers, which mean nothing to its readers', () => {
    expect(readme.match(/SPEC\s*§\s*\d+/g) ?? []).toEqual([]);
  });
});
