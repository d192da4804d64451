// System Settings → SCIM Provisioning (SPEC §3): /api/tenants/:tenant/scim.
import { request, tenantPath } from './client.ts'
import type { IssuedScimToken, ScimSettingsView } from './types.ts'

export const fetchScimSettings = (tenant: string) =>
  request<ScimSettingsView>('GET', tenantPath(tenant, 'scim'))

/** Answers the Base URL and the token, shown this once. */
export const enableScim = (tenant: string) =>
  request<IssuedScimToken>('POST', tenantPath(tenant, 'scim', 'enable'))

/** A new token; the old one stops working at once. */
export const reissueScimToken = (tenant: string) =>
  request<IssuedScimToken>('POST', tenantPath(tenant, 'scim', 'reissue'))

export const disableScim = (tenant: string) =>
  request<ScimSettingsView>('POST', tenantPath(tenant, 'scim', 'disable'))
