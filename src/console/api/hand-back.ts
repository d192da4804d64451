// Hand back (issue #9): /api/tenants/:tenant/hand-back — preview, and release SCIM-controlled
// records to INTERNAL once SCIM is disabled.
import { request, tenantPath } from './client.ts'

export interface HandBackPreview {
  readonly scimEnabled: boolean
  readonly users: {
    readonly count: number
    readonly sample: readonly { id: string; userName: string }[]
  }
  readonly groups: {
    readonly count: number
    readonly sample: readonly { id: string; displayName: string }[]
  }
  readonly memberships: { readonly count: number }
}

export interface HandBackResult {
  readonly dryRun: boolean
  readonly changes: {
    readonly users: number
    readonly groups: number
    readonly memberships: number
  }
}

export const previewHandBack = (tenant: string) =>
  request<HandBackPreview>('GET', tenantPath(tenant, 'hand-back'))

export const handBack = (tenant: string) =>
  request<HandBackResult>('POST', tenantPath(tenant, 'hand-back'))
