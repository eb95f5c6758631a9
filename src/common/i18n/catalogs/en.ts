/**
 * The core's English messages. Error codes are not here: their English text is the `message` each code is
 * defined with (`defineErrorCodes`), so a code has one English source. `{{field}}` is the field's name from
 * `fields`, or the property name itself.
 */
export default {
  rules: {
    required: '{{field}} is required',
    type: '{{field}} must be a {{type}}',
    min_length: '{{field}} must be at least {{min}} characters',
    max_length: '{{field}} must be at most {{max}} characters',
    pattern: '{{field}} has characters or a format that is not allowed',
    // A field's own wording of a rule, found before the rule's (`rules.<rule>.<field>`).
    'pattern.username': '{{field}} may contain only letters, digits, _ and -',
    'pattern.X-Device-Id': '{{field}} must be 8 to 128 characters of A-Z a-z 0-9 . _ -',
    common_password: '{{field}} is too common; choose a less guessable one',
    same_as_username: '{{field}} must not be the same as the username',
    phone: '{{field}} must be a valid phone number (national numbers are read in {{region}})',
    email: '{{field}} must be a valid email address',
    region_not_allowed: '{{field}} is from a region that is not allowed',
    unknown_field: '{{field}} is not an accepted field',
    one_of: '{{field}} must be one of: {{values}}',
    min_value: '{{field}} must be at least {{min}}',
    max_value: '{{field}} must be at most {{max}}',
    invalid: '{{field}} is not valid',
    'invalid.after': '{{field}} cannot be combined with page > 1: page with one or the other',
    max_depth: '{{field}} must not nest deeper than {{max}} levels',
    json: '{{field}} is not valid JSON: it goes wrong at character {{position}} (counted from 0)',
  },
  fields: {
    body: 'the body',
    username: 'username',
    password: 'password',
    current_password: 'current password',
    new_password: 'new password',
    phone: 'phone',
    email: 'email',
    name: 'name',
    code: 'code',
    recovery_code: 'recovery code',
    mfa_token: 'mfa_token',
    refresh_token: 'refresh_token',
    role: 'role',
    disabled: 'disabled',
    page: 'page',
    page_size: 'page_size',
    after: 'after',
  },
};
