import type { Catalog } from '#src/platform/index.js';

/**
 * The SMS and email texts of each purpose (`templates/messages.ts` declares them), in English; `{{code}}` and
 * `{{minutes}}` are filled in at send time. The HTML is ours, the params are escaped before they go in.
 */
export const templates = {
  'sms.login':
    'Your code to sign in is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.login.subject': 'Your Gatehouse code: {{code}}',
  'email.login.text':
    'Your code to sign in is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.login.html':
    '<p>Your code to sign in is <strong>{{code}}</strong>.</p><p>It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.</p>',
  'sms.reset_password':
    'Your code to reset your password is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.reset_password.subject': 'Your Gatehouse code: {{code}}',
  'email.reset_password.text':
    'Your code to reset your password is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.reset_password.html':
    '<p>Your code to reset your password is <strong>{{code}}</strong>.</p><p>It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.</p>',
  'sms.verify_phone':
    'Your code to verify your phone number is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.verify_phone.subject': 'Your Gatehouse code: {{code}}',
  'email.verify_phone.text':
    'Your code to verify your phone number is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.verify_phone.html':
    '<p>Your code to verify your phone number is <strong>{{code}}</strong>.</p><p>It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.</p>',
  'sms.verify_email':
    'Your code to verify your email address is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.verify_email.subject': 'Your Gatehouse code: {{code}}',
  'email.verify_email.text':
    'Your code to verify your email address is {{code}}. It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.',
  'email.verify_email.html':
    '<p>Your code to verify your email address is <strong>{{code}}</strong>.</p><p>It expires in {{minutes}} minutes. If you did not ask for it, ignore this message.</p>',
  'sms.contact_changed':
    'The phone or email of your Gatehouse account was just changed and this one no longer signs in. If it was not you, reset your password now.',
  'email.contact_changed.subject': 'Your Gatehouse account contact was changed',
  'email.contact_changed.text':
    'The phone or email of your Gatehouse account was just changed, and this address no longer signs in or receives reset codes. If it was not you, reset your password now and contact your administrator.',
  'email.contact_changed.html':
    '<p>The phone or email of your Gatehouse account was just changed, and this address no longer signs in or receives reset codes.</p><p>If it was not you, reset your password now and contact your administrator.</p>',
};

/** The verification module's English messages: its error codes speak English through `defineErrorCodes` already. */
const en = {
  rules: {
    phone_or_email: 'send phone or email, not both',
    mobile_only: '{{field}} must be a mobile number: codes go by SMS',
  },
  templates,
} satisfies Catalog;

export default en;
