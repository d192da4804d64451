// Binds the provisioning services to the generic resource endpoints.
import * as groups from '../../../provisioning/groups.ts'
import { renderGroup } from '../../../provisioning/render.ts'
import * as users from '../../../provisioning/users.ts'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../scim/schemas/index.ts'
import type { GroupRecord, UserRecord } from '../../../store/store.ts'
import { groupWithMembers } from './group-stream.ts'
import type { ResourceEndpoint } from './resources.ts'

export const userEndpoint: ResourceEndpoint<UserRecord> = {
  resourceType: USER_RESOURCE_TYPE,
  expensiveAttribute: 'groups',
  patchReturnsContent: true,
  render: (ctx, records, withGroups) =>
    users.renderUsers(ctx.store.forTenant(ctx.tenant.id), records, ctx.baseUrl, withGroups),
  list: users.listUsers,
  get: users.getUser,
  create: users.createUser,
  replace: users.replaceUser,
  patch: users.patchUser,
  remove: users.deleteUser,
}

export const groupEndpoint: ResourceEndpoint<GroupRecord> = {
  resourceType: GROUP_RESOURCE_TYPE,
  expensiveAttribute: 'members',
  patchReturnsContent: false,
  async render(ctx, records, withMembers) {
    // G5: SCIM sees the SCIM-origin members of a group; INTERNAL ones belong to the console.
    const members = withMembers
      ? await ctx.store.forTenant(ctx.tenant.id).members.list(records.map((g) => g.id))
      : undefined
    return records.map((g) =>
      renderGroup(
        g,
        members ? (members.get(g.id) ?? []).filter((m) => m.origin === 'SCIM') : undefined,
        ctx.baseUrl,
      ),
    )
  },
  readOne: groupWithMembers,
  list: groups.listGroups,
  get: groups.getGroup,
  create: groups.createGroup,
  replace: groups.replaceGroup,
  patch: groups.patchGroup,
  remove: groups.deleteGroup,
}
