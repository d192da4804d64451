// A tenant's users (SPEC §1 D8): /api/tenants/:tenant/users.
import { request, tenantPath } from './client.ts'
import type { InvitedUser, UserFilters, UserListPage, UserView } from './types.ts'

export const PAGE_SIZE = 50

export function listUsers(
  tenant: string,
  filters: UserFilters,
  cursor: string | undefined,
  limit = PAGE_SIZE,
): Promise<UserListPage> {
  const query = new URLSearchParams({ limit: String(limit) })
  for (const [key, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') query.set(key, value)
  }
  if (cursor) query.set('cursor', cursor)
  return request<UserListPage>('GET', `${tenantPath(tenant, 'users')}?${query.toString()}`)
}

export const inviteUser = (
  tenant: string,
  input: { email: string; displayName?: string; role: string },
) => request<InvitedUser>('POST', tenantPath(tenant, 'users'), input)

/** D8: the role of any user; `active` only of INTERNAL users (refused with the reason). */
export const updateUser = (
  tenant: string,
  id: string,
  change: { role?: string; active?: boolean },
) => request<UserView>('PATCH', tenantPath(tenant, 'users', id), change)

export const deleteUser = (tenant: string, id: string) =>
  request<void>('DELETE', tenantPath(tenant, 'users', id))
