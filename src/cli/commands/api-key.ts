// `npx rollcall api-key …`: the host application's keys for the directory API and the event feed
// (/api/v1): create (shown once), list, revoke.
import { createApiKey, listApiKeys, revokeApiKey } from '../../credentials/api-keys.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { UsageError, defineCommand } from '../command.ts'
import { json } from '../output.ts'

export const apiKeyCreate = defineCommand({
  name: 'api-key create',
  summary: 'create an API key for /api/v1 (an operator key, or one tenant’s)',
  description:
    'Creates an API key for the directory API and the event feed. Without --tenant it is an ' +
    'operator key that sees every tenant. The key is shown once; only its hash is kept.',
  options: {
    tenant: { type: 'string', value: 'S', help: 'a tenant key: only this tenant, by its slug' },
    scope: { type: 'string', value: 'read|write', required: true, help: 'read, or read and write' },
    name: { type: 'string', value: 'N', help: 'what the key is for (shown by api-key list)' },
  },
  json: 'exactly {"id": "…", "key": "…"}',
  check: (o) => {
    const scope = o.required('scope')
    if (scope !== 'read' && scope !== 'write') throw new UsageError('--scope is read or write.')
    return { slug: o.string('tenant'), scope, name: o.string('name') }
  },
  async run({ runtime, io, json: asJson }, { slug, scope, name }) {
    const tenant = slug === undefined ? undefined : await tenantBySlug(runtime.store, slug)
    const { record, key } = await createApiKey(runtime.store, { tenant, scope, name })
    if (asJson) {
      io.out(`{"id": ${JSON.stringify(record.id)}, "key": ${JSON.stringify(key)}}`)
    } else {
      io.out(`API key ${record.id} (${record.scope}, ${tenant ? tenant.slug : 'all tenants'}):`)
      io.out(key)
      io.out('')
      io.out(
        'The key is shown once; only its hash is kept. Send it as Authorization: Bearer <key>.',
      )
    }
  },
})

export const apiKeyList = defineCommand({
  name: 'api-key list',
  summary: 'list the API keys (never their secrets)',
  options: {},
  json: 'an array of {"id", "name", "tenant", "scope", "createdAt", "lastUsedAt", "lastUsedAddress", "revokedAt"}',
  check: () => undefined,
  async run({ runtime, io, json: asJson }) {
    const keys = await listApiKeys(runtime.store)
    const slugs = new Map((await runtime.store.tenants.list()).map((t) => [t.id, t.slug]))
    const rows = keys.map((k) => ({
      id: k.id,
      name: k.name,
      tenant: k.tenantId === null ? null : (slugs.get(k.tenantId) ?? k.tenantId),
      scope: k.scope,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      lastUsedAddress: k.lastUsedAddress,
      revokedAt: k.revokedAt,
    }))
    if (asJson) {
      io.out(json(rows))
    } else if (rows.length === 0) {
      io.out('No API keys yet. Create one with `npx rollcall api-key create --scope read`.')
    } else {
      for (const r of rows) {
        const state = r.revokedAt
          ? `revoked ${r.revokedAt}`
          : `last used ${r.lastUsedAt ?? 'never'}`
        io.out(`${r.id}\t${r.scope}\t${r.tenant ?? 'all tenants'}\t${r.name}\t${state}`)
      }
    }
  },
})

export const apiKeyRevoke = defineCommand({
  name: 'api-key revoke',
  summary: 'revoke an API key (it stops working at once)',
  options: { id: { type: 'string', value: 'ID', required: true, help: 'the key id' } },
  json: '{"id", "revoked": true}',
  check: (o) => ({ id: o.required('id') }),
  async run({ runtime, io, json: asJson }, { id }) {
    await revokeApiKey(runtime.store, id)
    io.out(asJson ? json({ id, revoked: true }) : `API key ${id} is revoked.`)
  },
})
