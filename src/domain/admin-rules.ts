// What an admin may do to a user or a group membership through the console or the admin API,
// by origin (SPEC §1 D8, G4): pure decisions, each refusal with the reason an admin reads.
import type { Origin } from './types.ts'

/** The actions of the console's user list that D8 speaks of. */
export type UserAction = 'disable' | 'enable' | 'delete'

/**
 * D8: why an admin may not take `action` on a user of this origin, or undefined when they may.
 * Changing the role is always allowed (D8), so it has no refusal.
 */
export function userActionRefusal(origin: Origin, action: UserAction): string | undefined {
  if (origin !== 'SCIM') return undefined
  switch (action) {
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
