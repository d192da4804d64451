// The console's navigation: the pages of issue #9, in the order of the seed's menus.
export interface NavigationItem {
  readonly label: string
  readonly path: string
}

export interface NavigationSection {
  readonly label: string
  readonly items: readonly NavigationItem[]
}

export const NAVIGATION: readonly NavigationSection[] = [
  {
    label: 'Directory',
    items: [
      { label: 'Users', path: '/users' },
      { label: 'Groups', path: '/groups' },
      { label: 'Domains', path: '/domains' },
      { label: 'Roles', path: '/roles' },
    ],
  },
  {
    label: 'Administration',
    items: [
      { label: 'Enterprise Connection', path: '/connections' },
      { label: 'System Settings', path: '/settings/scim' },
      { label: 'Provisioning log', path: '/provisioning-log' },
      { label: 'Hand back', path: '/hand-back' },
    ],
  },
]

/** The first page after sign-in. */
export const HOME = '/domains'
