/**
 * Passwords that attackers try first: the most frequent entries of public
 * breach-derived lists (English and Chinese sites), compared without regard
 * to case. NIST SP 800-63B §3.1.1.2 asks verifiers to refuse new passwords
 * found in such a list; OWASP ASVS 5.0 V6.2.4 likewise.
 */
const LIST = `
123456 123456789 12345678 1234567890 1234567 12345 1234 123123 123321 111111 000000
654321 666666 888888 88888888 11111111 00000000 121212 112233 123654 147258 147258369
159753 159357 987654321 987654 7777777 777777 555555 131313 112233445566 11223344
123qwe qwe123 1q2w3e 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qazxsw2 zaq12wsx qazwsx qazwsxedc
qwerty qwerty1 qwerty123 qwertyuiop qwer1234 asdfgh asdfghjkl asdf1234 zxcvbn zxcvbnm
abc123 abcd1234 abc12345 a123456 a12345678 aa123456 123456a 123456abc 12345qwert
password password1 password12 password123 passw0rd p@ssw0rd p@ssword pass1234 passpass
admin admin123 admin1234 administrator root123 rootroot toor changeme default guest
welcome welcome1 welcome123 letmein letmein1 login123 secret secret123 trustno1 test123
iloveyou iloveu loveme lovely love123 woaini woaini1314 woaini520 5201314 520520 1314520
qq123456 q1w2e3r4 q1w2e3r4t5 baseball football soccer hockey basketball superman batman
spiderman starwars pokemon naruto dragon monkey shadow master mustang michael jordan23
jennifer jessica michelle ashley nicole amanda charlie robert thomas daniel andrew joshua
matthew george taylor hunter buster tigger ginger pepper maggie cheese summer sunshine
princess freedom whatever computer internet google samsung apple123 iphone qwerty12
killer harley ranger thunder matrix dallas austin yankees chelsea liverpool arsenal
hello123 hello1 helloworld goodluck forever flower banana orange chocolate cookie
zxc123 asd123 aaa111 abc123456 aaaaaa aaaaaaaa bbbbbb 666888 888666 168168 998877
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.normalize('NFKC').toLowerCase());
}
