import type { RuleFailure } from '#src/common/validation/rules.js';

/**
 * class-validator hands the pipe only a message string per constraint, and one custom constraint can fail
 * several rules (a password: min_length, common_password…). So a custom constraint reports its failure as
 * this marked JSON message, and the pipe decodes it back into `{rule, params}`.
 */
const MARKER = 'rule:';

export function encodeRuleFailure(failure: RuleFailure): string {
  return MARKER + JSON.stringify(failure);
}

export function decodeRuleFailure(message: string): RuleFailure | null {
  if (!message.startsWith(MARKER)) {
    return null;
  }
  try {
    const parsed = JSON.parse(message.slice(MARKER.length)) as Partial<RuleFailure>;
    return typeof parsed.rule === 'string' ? { rule: parsed.rule, params: parsed.params ?? {} } : null;
  } catch {
    return null;
  }
}
