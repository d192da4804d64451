// The console's navigation: the pages of issue #9 whose admin API exists. Users, Groups and Roles
// join here with their API routes.
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
