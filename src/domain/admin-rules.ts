// What an admin may do to a user or a group membership through the console or the admin API,
// by origin (SPEC §1 D8, G4): pure decisions, each refusal with the reason an admin reads.
import type { Origin } from './types.ts'

/** The actions of the console's user list. */
export type UserAction = 'disable' | 'enable' | 'delete' | 'role'

/**
 * D8: why an admin may not take `action` on a user of this origin, or undefined when they may.
 * Changing the role is always allowed (D8), so it has no refusal.
 */
export function userActionRefusal(origin: Origin, action: UserAction): string | undefined {
  if (origin !== 'SCIM') return undefined
  switch (action) {
    case 'role':
      return undefined
    case 'disable':
      return (
        'This user is controlled by SCIM: your identity provider decides whether they are active. ' +
        'Block their sign-in or unassign them from the application in the identity provider; ' +
        'the next provisioning cycle deactivates them here.'
      )
    case 'enable':
      return (
        'This user is controlled by SCIM: your identity provider decides whether they are active. ' +
        'Enable them in the identity provider; the next provisioning cycle reactivates them here.'
      )
    case 'delete':
      return (
        'This user is controlled by SCIM: only your identity provider can remove them. Unassign ' +
        'them from the application in the identity provider; the next provisioning cycle removes ' +
        'them here.'
      )
  }
}

/**
 * G4: why an admin may not remove a member whose membership has this origin, or undefined when
 * they may (INTERNAL members, also of SCIM groups).
 */
export function memberRemovalRefusal(origin: Origin): string | undefined {
  if (origin !== 'SCIM') return undefined
  return (
    'This membership is controlled by SCIM: only your identity provider can remove it. Remove ' +
    'the member from the group in the identity provider; the next provisioning cycle removes ' +
    'them here.'
  )
}

/**
 * Why an Admin may not take `action` on their own account, or undefined when they may: the tenant
 * must not lose its last way in by a slip of the Admin's own hand.
 */
export function ownAccountRefusal(action: UserAction): string | undefined {
  switch (action) {
    case 'disable':
      return 'You cannot disable your own account: ask another Admin.'
    case 'delete':
      return 'You cannot delete your own account: ask another Admin.'
    case 'role':
      return 'You cannot change your own role: ask another Admin, so the tenant keeps one.'
    case 'enable':
      return undefined
  }
}

/** D8: why an admin may not edit the names of a user of this origin, or undefined when they may. */
export function userProfileRefusal(origin: Origin): string | undefined {
  if (origin !== 'SCIM') return undefined
  return (
    'This user is controlled by SCIM: your identity provider owns their names. Change them in ' +
    'the identity provider; the next provisioning cycle updates them here.'
  )
}

/** G4: why an admin may not rename or delete a group of this origin, or undefined when they may. */
export function groupChangeRefusal(
  origin: Origin,
  action: 'rename' | 'delete',
): string | undefined {
  if (origin !== 'SCIM') return undefined
  return action === 'rename'
    ? 'This group is controlled by SCIM: rename it in the identity provider; the next ' +
        'provisioning cycle renames it here.'
    : 'This group is controlled by SCIM: only your identity provider can remove it. Remove it ' +
        'there (or unassign it from the application); the next provisioning cycle removes it here.'
}
