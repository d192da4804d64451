// Stored records -> SCIM resources (RFC 7643 §3 common attributes and meta, §4.1 User, §4.2 Group).
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
} from '../scim/schemas/index.ts'
import type { GroupRecord, GroupReference, MemberRecord, UserRecord } from '../store/store.ts'
import { etagOf } from '../scim/etag.ts'

export type ScimResource = Record<string, unknown>

function present(doc: Record<string, unknown>, key: string): boolean {
  const value = doc[key]
  return value !== undefined && value !== null
}

export function renderUser(
  user: UserRecord,
  groups: readonly GroupReference[] | undefined,
  baseUrl: string,
): ScimResource {
  const { schemas: _s, userName: _u, externalId: _e, active: _a, ...rest } = user.doc
  const schemas = [SCIM_USER_SCHEMA_URN]
  if (present(user.doc, ENTERPRISE_USER_SCHEMA_URN)) schemas.push(ENTERPRISE_USER_SCHEMA_URN)
  const resource: ScimResource = {
    schemas,
    id: user.id,
    ...(user.externalId === null ? {} : { externalId: user.externalId }),
    userName: user.userName,
    ...rest,
    active: user.active,
  }
  if (groups && groups.length > 0) {
    resource.groups = groups.map((g) => ({
      value: g.groupId,
      $ref: `${baseUrl}/Groups/${g.groupId}`,
      display: g.display,
      type: 'direct',
    }))
  }
  resource.meta = {
    resourceType: 'User',
    created: user.createdAt,
    lastModified: user.updatedAt,
    location: `${baseUrl}/Users/${user.id}`,
    version: etagOf(user.version),
  }
  return resource
}

/** One item of a group's `members` (RFC 7643 §4.2). */
export function renderMember(m: MemberRecord, baseUrl: string): ScimResource {
  return {
    value: m.memberId,
    $ref: `${baseUrl}/${m.memberType === 'User' ? 'Users' : 'Groups'}/${m.memberId}`,
    ...(m.display === null ? {} : { display: m.display }),
    type: m.memberType,
  }
}

export function renderGroup(
  group: GroupRecord,
  members: readonly MemberRecord[] | undefined,
  baseUrl: string,
): ScimResource {
  const { schemas: _s, displayName: _d, externalId: _e, members: _m, ...rest } = group.doc
  const schemas = [SCIM_GROUP_SCHEMA_URN]
  if (present(group.doc, GROUP_EXTENSION_SCHEMA_URN)) schemas.push(GROUP_EXTENSION_SCHEMA_URN)
  const resource: ScimResource = {
    schemas,
    id: group.id,
    ...(group.externalId === null ? {} : { externalId: group.externalId }),
    displayName: group.displayName,
    ...rest,
  }
  if (members !== undefined) {
    resource.members = members.map((m) => renderMember(m, baseUrl))
  }
  resource.meta = {
    resourceType: 'Group',
    created: group.createdAt,
    lastModified: group.updatedAt,
    location: `${baseUrl}/Groups/${group.id}`,
    version: etagOf(group.version),
  }
  return resource
}
