import crypto from 'node:crypto';

// No 0/O/1/I: codes are read aloud over the phone.
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** How long an invitation code may be used (a code is single use and replaced when reissued). */
export const INVITATION_TTL_DAYS = 7;

/** A fresh 8-character invitation code for first WeChat login (32 symbols, 40 bits; rejection-free since 256 % 32 = 0). */
export function newInvitationCode(): string {
  const bytes = crypto.randomBytes(8);
  return Array.from(bytes, (b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('');
}

/** Only this hash is stored: the code itself is shown once, in the issuer's response. */
export function hashInvitation(code: string): string {
  return crypto.createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
}
