import { RateLimit } from '#src/throttling/rate-limit.decorator.js';

describe(RateLimit.name, () => {
  it('refuses a name that is not snake_case, so a module declaring it stops the start with the reason', () => {
    // Decorators run when the controller's class is defined, i.e. when its module is imported at start.
    const declare = () => {
      class InvoicesController {
        @RateLimit('invoices.create', { points: 5, duration: '1m', by: 'user' })
        create() {}
      }
      return InvoicesController;
    };
    expect(declare).toThrow(
      '@RateLimit name "invoices.create" must be snake_case (it becomes RATE_LIMIT_INVOICES.CREATE)',
    );
    expect(() => RateLimit('Invoices', { points: 5, duration: 60, by: 'ip' })).toThrow(/must be snake_case/);
  });

  it('takes a snake_case name', () => {
    expect(() => RateLimit('invoices_create', { points: 5, duration: '1m', by: 'user' })).not.toThrow();
  });
});
