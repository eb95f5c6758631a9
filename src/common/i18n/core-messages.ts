import en from '#src/common/i18n/catalogs/en.js';
import zhCN from '#src/common/i18n/catalogs/zh-CN.js';
import { defineTranslations, defineValidationRules } from '#src/common/i18n/registry.js';

/**
 * The rules SPEC §14 names, plus `one_of`, `min_value`, `max_value` (choices and numeric bounds in queries and
 * admin bodies) `invalid` (a check that names no rule of its own), `max_depth` (a body nested too deep) and `json`
 * (a body that is not JSON; `position` is the character offset where it stops being JSON). Their params are part of
 * the API: clients may build their own messages from them.
 */
defineValidationRules({
  required: { params: [] },
  type: { params: ['type'] },
  min_length: { params: ['min'] },
  max_length: { params: ['max'] },
  pattern: { params: [] },
  common_password: { params: [] },
  same_as_username: { params: [] },
  phone: { params: ['region'] },
  email: { params: [] },
  region_not_allowed: { params: ['region'] },
  unknown_field: { params: [] },
  one_of: { params: ['values'] },
  min_value: { params: ['min'] },
  max_value: { params: ['max'] },
  invalid: { params: [] },
  max_depth: { params: ['max'] },
  json: { params: ['position'] },
});

defineTranslations('core', { en, 'zh-CN': zhCN });
