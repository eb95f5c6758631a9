import '#src/common/i18n/core-messages.js';
import { registeredRules } from '#src/common/i18n/registry.js';
import { translate } from '#src/common/i18n/translator.js';

/**
 * The validation rules a field error may name, with their params and English message, as Markdown for the
 * Swagger description (SPEC §14, issue 13). Built from the registry when the document is, so a module's own
 * rules are listed too.
 */
export function validationRulesMarkdown(): string {
  const rows = [...registeredRules()].map(([rule, { params }]) => {
    const names = params.length > 0 ? params.map((p) => `\`${p}\``).join(', ') : '—';
    return `| \`${rule}\` | ${names} | ${translate('en', `rules.${rule}`).replaceAll('|', '\\|')} |`;
  });
  return ['| rule | params | message (en) |', '|---|---|---|', ...rows].join('\n');
}
