// The service's signing key for SCIM tokens: one, created by whichever process starts first.

export interface SigningKeyRecord {
  readonly id: string
  readonly algorithm: string
  readonly publicJwk: string
  readonly privateKeyEncrypted: string
  readonly createdAt: string
}

export interface SigningKeyRepository {
  get(): Promise<SigningKeyRecord | undefined>
  /** Inserts the key unless one exists; returns the key that is stored afterwards. */
  insert(key: SigningKeyRecord): Promise<SigningKeyRecord>
}
