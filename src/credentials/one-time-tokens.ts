// Random bearer values Rollcall hands out (session ids, verification and set-password links,
// browser bindings of SSO flows): 256 random bits, base64url. Only their sha256 is stored, so a
// copy of the database opens no session and no link.
import { createHash, randomBytes } from 'node:crypto'

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url')
}

/** sha256 of the token, hex: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** An ISO-8601 time `seconds` after `from`. */
export function secondsAfter(from: Date, seconds: number): string {
  return new Date(from.getTime() + seconds * 1000).toISOString()
}
