// Service-wide key/value settings (not per tenant: those live with the tenant's data).

/** A service-wide key/value setting and when it was last written. */
export interface ServiceSettingRecord {
  readonly key: string
  readonly value: string
  readonly updatedAt: string
}

export interface ServiceSettingRepository {
  /**
   * A service-wide setting (e.g. `public_url`, which the server records at start for the CLI),
   * or undefined when it was never set.
   */
  get(key: string): Promise<ServiceSettingRecord | undefined>
  /** Sets (inserts or replaces) a service-wide setting; the last writer wins. */
  set(key: string, value: string, at: string): Promise<void>
}
