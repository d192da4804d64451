// A tenant's groups and their members (SPEC §1 G1–G6): /api/tenants/:tenant/groups.
import { request, tenantPath } from './client.ts'
import type { GroupDetail, GroupView } from './types.ts'

export const GROUP_PAGE_SIZE = 50

export function listGroups(
  tenant: string,
  search: string,
  page: number,
  limit = GROUP_PAGE_SIZE,
): Promise<{ items: GroupView[]; total: number }> {
  const query = new URLSearchParams({ page: String(page), limit: String(limit) })
  if (search !== '') query.set('search', search)
  return request('GET', `${tenantPath(tenant, 'groups')}?${query.toString()}`)
}

export const createGroup = (tenant: string, displayName: string) =>
  request<GroupView>('POST', tenantPath(tenant, 'groups'), { displayName })

export const MEMBER_PAGE_SIZE = 50

/** The group with one page of its members, after `cursor` (the previous page's nextCursor). */
export function getGroup(
  tenant: string,
  id: string,
  cursor?: string,
  limit = MEMBER_PAGE_SIZE,
): Promise<GroupDetail> {
  const query = new URLSearchParams({ limit: String(limit) })
  if (cursor !== undefined) query.set('cursor', cursor)
  return request('GET', `${tenantPath(tenant, 'groups', id)}?${query.toString()}`)
}

/** G4: an INTERNAL member, also of a SCIM group. */
export const addMember = (tenant: string, groupId: string, userId: string) =>
  request<void>('POST', tenantPath(tenant, 'groups', groupId, 'members'), { userId })

export const removeMember = (tenant: string, groupId: string, memberId: string) =>
  request<void>('DELETE', tenantPath(tenant, 'groups', groupId, 'members', memberId))
