// What Rollcall's OpenID Provider for the host application keeps (identity-provider/): the
// models of oidc-provider (sessions, interactions, authorization codes, tokens, grants), the
// clients the operator registers, and the provider's signing keys. Service-wide: a client serves
// every tenant, and a model names its account (tenant and user) inside its payload.

/** One oidc-provider model ("Session", "AuthorizationCode", …) as oidc-provider hands it over. */
export interface OidcModelRecord {
  readonly kind: string
  readonly id: string
  /** The model's payload, as JSON text. */
  readonly payload: string
  readonly grantId: string | null
  readonly userCode: string | null
  readonly uid: string | null
  /** ISO time after which the model is gone (null: never expires). */
  readonly expiresAt: string | null
}

/** A stored model: its payload and, once consumed, when (Unix seconds). */
export interface StoredOidcModel {
  readonly payload: string
  readonly consumed: number | null
}

export interface OidcModelRepository {
  /** Inserts or replaces the model (kind, id); a replaced model is no longer consumed. */
  upsert(model: OidcModelRecord): Promise<void>
  /** The model unless unknown or expired at `now` (ISO). */
  find(kind: string, id: string, now: string): Promise<StoredOidcModel | undefined>
  findByUid(kind: string, uid: string, now: string): Promise<StoredOidcModel | undefined>
  findByUserCode(kind: string, userCode: string, now: string): Promise<StoredOidcModel | undefined>
  /** Marks the model consumed at `at` (Unix seconds); true if it existed. */
  consume(kind: string, id: string, at: number): Promise<boolean>
  destroy(kind: string, id: string): Promise<void>
  /** Deletes every model of the grant, of any kind (a revoked grant, a reused code). */
  revokeByGrantId(grantId: string): Promise<void>
  /** Deletes the models expired at `now`; returns how many. */
  pruneExpired(now: string): Promise<number>
}

/** A client the operator registered; its secret sealed with the instance secret. */
export interface OidcClientRecord {
  readonly id: string
  readonly name: string
  readonly secretSealed: string
  readonly redirectUris: readonly string[]
  readonly createdAt: string
}

export interface OidcClientRepository {
  insert(client: OidcClientRecord): Promise<void>
  get(id: string): Promise<OidcClientRecord | undefined>
  /** Every client, oldest first. */
  list(): Promise<OidcClientRecord[]>
  /** Deletes the client; true if it existed. */
  delete(id: string): Promise<boolean>
}

/** A signing key of the provider: its private JWK (with kid and alg) sealed. */
export interface OidcKeyRecord {
  readonly id: string
  readonly privateJwkSealed: string
  readonly createdAt: string
  /** When a newer key replaced it, the time until which it stays published; else null. */
  readonly retiresAt: string | null
}

export interface OidcKeyRepository {
  /** The keys not retired at `now`, newest first (the first one signs). */
  live(now: string): Promise<OidcKeyRecord[]>
  /**
   * Inserts the key unless a live key exists (processes starting together create one key);
   * returns the live keys afterwards, newest first.
   */
  insertFirst(key: OidcKeyRecord, now: string): Promise<OidcKeyRecord[]>
  /**
   * Makes `key` the signing key: the keys live until now stay published until `retireAt`, keys
   * retired before `now` are deleted. Returns the live keys afterwards, newest first.
   */
  rotate(key: OidcKeyRecord, retireAt: string, now: string): Promise<OidcKeyRecord[]>
}
