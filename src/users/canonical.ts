import { domainToASCII } from 'node:url';

/**
 * The one form an email is stored, looked up and keyed by (SPEC §4): trimmed, NFKC, lower case, the domain in
 * ASCII (IDNA/UTS #46, so `acmé.com` is `xn--acm-dma.com`). Compared byte for byte on every database (a binary
 * collation on MySQL), so a look-alike such as `victim@gmàil.com` is never `victim@gmail.com`: GitHub's 2019
 * "dotless i" reset takeover came from comparing addresses under a looser equality than the mailbox's
 * (OWASP ASVS 5.0 V6.4.2; Unicode TR #36 §2 "Visual Security Issues").
 */
export function canonicalEmail(email: string): string {
  const lowered = email.trim().normalize('NFKC').toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at < 0) {
    return lowered;
  }
  const domain = lowered.slice(at + 1);
  // domainToASCII answers '' for a domain IDNA refuses; the DTOs refuse those first, so keep the text as a key.
  return `${lowered.slice(0, at)}@${domainToASCII(domain) || domain}`;
}

/** Usernames are `[a-zA-Z0-9_-]` (SPEC §4): `Admin` and `admin` are one account, compared byte for byte. */
export function canonicalUsername(username: string): string {
  return username.trim().toLowerCase();
}
