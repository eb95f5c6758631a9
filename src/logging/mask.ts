import ipaddr from 'ipaddr.js';

/**
 * Who a log line is about, recognisable to an operator yet not a full identifier (OWASP Logging Cheat Sheet: log
 * the event, minimise personal data): `alice` → `a***e`, `+8613800138000` → `+86***00`, `bob@example.com` →
 * `b***@example.com`, `203.0.113.7` → `203.0.113.*`. An IPv6 /64 key and a numeric id are kept: neither names a
 * person by itself. A `u:`/`p:`/`e:` prefix (the throttle's account keys) is kept and the rest masked.
 */
export function maskSubject(subject: string): string {
  const prefixed = /^([a-z]{1,3}):(.*)$/s.exec(subject);
  if (prefixed && prefixed[1] !== 'id') {
    return `${prefixed[1]}:${maskSubject(prefixed[2])}`;
  }
  if (prefixed || /^\d+$/.test(subject) || subject.endsWith('::/64')) {
    return subject;
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(subject)) {
    return `${subject.slice(0, subject.lastIndexOf('.'))}.*`;
  }
  const at = subject.lastIndexOf('@');
  if (at > 0) {
    return `${[...subject.slice(0, at)][0]}***${subject.slice(at)}`;
  }
  const chars = [...subject];
  if (chars.length >= 8) {
    return `${chars.slice(0, 3).join('')}***${chars.slice(-2).join('')}`;
  }
  return chars.length >= 4 ? `${chars[0]}***${chars[chars.length - 1]}` : '***';
}
