/**
 * NIST SP 800-63B §5.1.1.2 / ASVS 5.0 V11.2 ask for secrets with enough
 * entropy; length alone is not it: 32 copies of one character are 32 bytes
 * and 0 bits. The estimate is the string's Shannon entropy per character
 * times its length, counted over one period when the string repeats itself.
 * A random 32-byte key (base64 or hex) clears it easily; a repeated
 * character, a short alphabet or a repeated word does not.
 */
export const MIN_SECRET_ENTROPY_BITS = 128;

/** Estimated bits of entropy in a secret, from the frequency of its characters. */
export function estimateEntropyBits(secret: string): number {
  const chars = [...secret];
  const period = smallestPeriod(chars);
  const counts = new Map<string, number>();
  for (const char of chars.slice(0, period)) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const length = period;
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    perChar -= p * Math.log2(p);
  }
  return Math.max(0, perChar * length);
}

/** The shortest prefix length whose repetition spells the whole string (`abcab` → 3); its length when none. */
function smallestPeriod(chars: string[]): number {
  for (let p = 1; p <= chars.length / 2; p += 1) {
    if (chars.every((char, i) => i < p || char === chars[i - p])) {
      return p;
    }
  }
  return chars.length;
}

/**
 * In production, refuses every given secret whose estimated entropy is below
 * the bar, naming each variable (SPEC §2, §10); other environments may use
 * throwaway values. Unset secrets are left to the caller's own rule.
 */
export function assertStrongSecrets(nodeEnv: string, secrets: Record<string, string | undefined>): void {
  if (nodeEnv !== 'production') {
    return;
  }
  const weak = Object.entries(secrets).filter(
    ([, value]) => value !== undefined && estimateEntropyBits(value) < MIN_SECRET_ENTROPY_BITS,
  );
  if (weak.length > 0) {
    const lines = weak.map(
      ([name]) =>
        `  ${name}: too little entropy (under ${MIN_SECRET_ENTROPY_BITS} bits); use a random value such as \`openssl rand -base64 32\``,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
}
