import { maskSubject } from '#src/logging/mask.js';

describe(maskSubject.name, () => {
  it.each([
    ['alice', 'a***e'],
    ['u:alice', 'u:a***e'],
    ['p:+8613800138000', 'p:+86***00'],
    ['bob@example.com', 'b***@example.com'],
    ['e:张三@例子.中国', 'e:张***@例子.中国'],
    ['203.0.113.7', '203.0.113.*'],
    ['2001:db8:0:1::/64', '2001:db8:0:1::/64'],
    ['id:7', 'id:7'],
    ['42', '42'],
    ['bo', '***'],
  ])('masks %j as %j', (subject, masked) => {
    expect(maskSubject(subject)).toBe(masked);
  });
});
