// /api/tenants/:tenant/scim — System Settings → SCIM Provisioning (SPEC §3, seed 003) for an Admin
// of the tenant: the settings, enable (the Base URL and the token, shown once), re-issue (the old
// token stops working at once) and disable. An Admin cannot bypass the verified-connection rule.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import {
  disableScim,
  issueTokenAsAdmin,
  scimSettingsOf,
} from '../../../credentials/scim-settings.ts'
import type { SigningKey } from '../../../credentials/scim-tokens.ts'
import type { Tenant } from '../../../domain/types.ts'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface ScimSettingsRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly signingKey: SigningKey
}

const requestSummarySchema = {
  type: ['object', 'null'],
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    operation: { type: 'string' },
    status: { type: 'integer' },
    outcome: { type: 'string', enum: ['success', 'failure'] },
    detail: { type: ['string', 'null'] },
    address: { type: ['string', 'null'] },
    client: { type: ['string', 'null'] },
  },
  required: ['id', 'at', 'operation', 'status', 'outcome', 'detail', 'address', 'client'],
} as const

const settingsSchema = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    hasVerifiedConnection: { type: 'boolean' },
    warning: { type: ['string', 'null'], description: 'Why SCIM cannot be enabled now.' },
    baseUrl: { type: 'string' },
    tokenIssuedAt: { type: ['string', 'null'] },
    lastUsed: {
      ...requestSummarySchema,
      description: 'The newest request the current token authenticated.',
    },
    lastRequest: {
      ...requestSummarySchema,
      description: 'The newest SCIM request, refused ones included.',
    },
  },
  required: [
    'enabled',
    'hasVerifiedConnection',
    'warning',
    'baseUrl',
    'tokenIssuedAt',
    'lastUsed',
    'lastRequest',
  ],
} as const

const issuedSchema = {
  type: 'object',
  description: 'The token is shown this once; only its id is kept.',
  properties: {
    baseUrl: { type: 'string' },
    token: { type: 'string' },
    settings: settingsSchema,
  },
  required: ['baseUrl', 'token', 'settings'],
} as const

type TenantRoute = { Params: { tenant: string } }

export function scimSettingsRoutes(app: FastifyInstance, deps: ScimSettingsRouteDeps): void {
  const { config, store, signingKey } = deps
  const settings = async (tenant: Tenant) => {
    const fresh = (await store.tenants.getById(tenant.id)) ?? tenant
    return scimSettingsOf(store, fresh, config.publicUrl)
  }

  app.get<TenantRoute>(
    '/tenants/:tenant/scim',
    {
      schema: {
        summary: 'SCIM provisioning settings',
        tags: ['SCIM provisioning'],
        params: tenantParams,
        response: { 200: settingsSchema },
      },
    },
    async (request) => scimSettingsOf(store, tenantOf(request), config.publicUrl),
  )

  const issue = async (tenant: Tenant, reissue: boolean) => {
    const issued = await issueTokenAsAdmin(store, signingKey, tenant, config.publicUrl, {
      reissue,
    })
    return { baseUrl: issued.baseUrl, token: issued.token, settings: await settings(tenant) }
  }

  app.post<TenantRoute>(
    '/tenants/:tenant/scim/enable',
    {
      schema: {
        summary: 'Enable SCIM provisioning: the Base URL and the token, shown once',
        tags: ['SCIM provisioning'],
        params: tenantParams,
        response: { 201: issuedSchema },
      },
    },
    async (request, reply) => {
      const body = await issue(tenantOf(request), false)
      return reply.code(201).header('cache-control', 'no-store').send(body)
    },
  )

  app.post<TenantRoute>(
    '/tenants/:tenant/scim/reissue',
    {
      schema: {
        summary: 'Re-issue the SCIM token: the old one stops working at once',
        tags: ['SCIM provisioning'],
        params: tenantParams,
        response: { 200: issuedSchema },
      },
    },
    async (request, reply) => {
      const body = await issue(tenantOf(request), true)
      return reply.header('cache-control', 'no-store').send(body)
    },
  )

  app.post<TenantRoute>(
    '/tenants/:tenant/scim/disable',
    {
      schema: {
        summary: 'Disable SCIM provisioning: the token stops working',
        tags: ['SCIM provisioning'],
        params: tenantParams,
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const tenant = tenantOf(request)
      await disableScim(store, tenant)
      return settings(tenant)
    },
  )
}
