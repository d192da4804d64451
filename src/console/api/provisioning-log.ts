// The provisioning log (SPEC §5): /api/tenants/:tenant/provisioning-log.
import { request, tenantPath } from './client.ts'
import type {
  ActivityRange,
  ProvisioningActivityView,
  ProvisioningLogEntryView,
  ProvisioningLogFilter,
  ProvisioningLogPage,
} from './types.ts'

export function listProvisioningLog(
  tenant: string,
  filter: ProvisioningLogFilter,
  beforeId?: number,
): Promise<ProvisioningLogPage> {
  const query = new URLSearchParams()
  if (filter.outcome) query.set('outcome', filter.outcome)
  if (filter.operation) query.set('operation', filter.operation)
  if (filter.resourceType) query.set('resourceType', filter.resourceType)
  if (beforeId !== undefined) query.set('beforeId', String(beforeId))
  const search = query.toString()
  return request('GET', `${tenantPath(tenant, 'provisioning-log')}${search ? `?${search}` : ''}`)
}

export const fetchProvisioningLogEntry = (tenant: string, id: number) =>
  request<ProvisioningLogEntryView>('GET', tenantPath(tenant, 'provisioning-log', String(id)))

export const fetchProvisioningActivity = (tenant: string, range: ActivityRange) =>
  request<ProvisioningActivityView>(
    'GET',
    `${tenantPath(tenant, 'provisioning-log', 'activity')}?range=${range}`,
  )
