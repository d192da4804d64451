// Single-use tokens behind emailed or printed links (verify a connection, set a password):
// issued for one tenant, found and used up by the token's hash.
import type { ConnectionId, TenantId, UserId } from '../../domain/ids.ts'

interface OneTimeTokenFields {
  /** sha256 (hex) of the token; the token itself is never stored. */
  readonly tokenHash: string
  readonly createdAt: string
  readonly expiresAt: string
}

/** A new token; its tenant is the TenantStore's. The subject's kind follows the purpose. */
export type OneTimeTokenWrite =
  | (OneTimeTokenFields & {
      readonly purpose: 'verify-connection'
      readonly subjectId: ConnectionId
    })
  | (OneTimeTokenFields & { readonly purpose: 'set-password'; readonly subjectId: UserId })

export type OneTimeTokenRecord = OneTimeTokenWrite & { readonly tenantId: TenantId }

export type OneTimeTokenPurpose = OneTimeTokenRecord['purpose']

/** The record of a token of this purpose. */
export type OneTimeTokenOf<P extends OneTimeTokenPurpose> = Extract<
  OneTimeTokenRecord,
  { purpose: P }
>

/** Issuing tokens for one tenant. */
export interface OneTimeTokenRepository {
  insert(record: OneTimeTokenWrite): Promise<void>
}

/** Tokens by hash, whatever their tenant. */
export interface OneTimeTokenLookup {
  /** The unexpired token with this hash and purpose, without using it up. */
  find<P extends OneTimeTokenPurpose>(
    tokenHash: string,
    purpose: P,
    now: string,
  ): Promise<OneTimeTokenOf<P> | undefined>
  /**
   * Single use, atomically: deletes the token and returns it when it exists, has this purpose and
   * has not expired; otherwise undefined (a token of another purpose is left alone).
   */
  consume<P extends OneTimeTokenPurpose>(
    tokenHash: string,
    purpose: P,
    now: string,
  ): Promise<OneTimeTokenOf<P> | undefined>
  /** Deletes the tokens that expired at or before `now`. */
  pruneExpired(now: string): Promise<void>
}
