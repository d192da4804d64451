// Encryption at rest for secrets Rollcall must read back (the signing key, later OIDC client
// secrets): AES-256-GCM under a key derived from ROLLCALL_SECRET with scrypt.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto'

const VERSION = 'v1'
// A fixed, public salt: the secret itself is high-entropy; the salt only separates this use.
const KEY_SALT = 'rollcall/secret-box/v1'

export interface SecretBox {
  seal(plaintext: string): string
  open(sealed: string): string
  /**
   * A key for `purpose` (e.g. the OpenID Provider's cookie keys), the same in every process that
   * has the same ROLLCALL_SECRET, and unrelated to the sealing key and to other purposes.
   */
  derive(purpose: string): string
}

export function createSecretBox(secret: string): SecretBox {
  const key = scryptSync(secret, KEY_SALT, 32)
  return {
    derive(purpose) {
      return createHmac('sha256', key).update(`rollcall/derive/${purpose}`).digest('base64url')
    },
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [
        VERSION,
        iv.toString('base64url'),
        tag.toString('base64url'),
        body.toString('base64url'),
      ].join('.')
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined) {
        throw new Error('sealed value has an unknown format')
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8')
      } catch (error) {
        throw new Error(
          'cannot decrypt: ROLLCALL_SECRET differs from the one that encrypted this value',
          {
            cause: error,
          },
        )
      }
    },
  }
}
