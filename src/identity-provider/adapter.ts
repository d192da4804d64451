// oidc-provider's storage over the Store: every model (sessions, interactions, codes, tokens,
// grants) is a row of oidc_models, so any instance continues what another started, and a code or
// refresh token is consumed once for all of them. Clients are read from the operator's registry
// (oidc_clients), their secrets opened from the SecretBox only here.
import type { Adapter } from 'oidc-provider'
import type { SecretBox } from '../credentials/secret-box.ts'
import type { StoredOidcModel, Store } from '../store/store.ts'
import { clientMetadataOf } from './clients.ts'

export interface AdapterDeps {
  readonly store: Store
  readonly secretBox: SecretBox
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null)

function payloadOf(stored: StoredOidcModel | undefined): Record<string, unknown> | undefined {
  if (!stored) return undefined
  const payload = JSON.parse(stored.payload) as Record<string, unknown>
  return stored.consumed === null ? payload : { ...payload, consumed: stored.consumed }
}

export class StoreAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly deps: AdapterDeps,
  ) {}

  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    if (this.kind === 'Client') throw new Error('OIDC clients are registered with the CLI only')
    await this.deps.store.oidcModels.upsert({
      kind: this.kind,
      id,
      payload: JSON.stringify(payload),
      grantId: stringOrNull(payload.grantId),
      userCode: stringOrNull(payload.userCode),
      uid: stringOrNull(payload.uid),
      expiresAt: expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
    })
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    if (this.kind === 'Client') {
      if (id.length > 100) return undefined
      const client = await this.deps.store.oidcClients.get(id)
      return client && clientMetadataOf(client, this.deps.secretBox)
    }
    return payloadOf(await this.deps.store.oidcModels.find(this.kind, id, new Date().toISOString()))
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const now = new Date().toISOString()
    return payloadOf(await this.deps.store.oidcModels.findByUid(this.kind, uid, now))
  }

  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    const now = new Date().toISOString()
    return payloadOf(await this.deps.store.oidcModels.findByUserCode(this.kind, userCode, now))
  }

  async consume(id: string): Promise<void> {
    await this.deps.store.oidcModels.consume(this.kind, id, Math.floor(Date.now() / 1000))
  }

  async destroy(id: string): Promise<void> {
    await this.deps.store.oidcModels.destroy(this.kind, id)
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.deps.store.oidcModels.revokeByGrantId(grantId)
  }
}
