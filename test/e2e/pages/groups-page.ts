// Groups: the list, create a group; a group's page with its members, add and remove.
import type { Locator, Page } from 'playwright-core'

export class GroupsPage {
  readonly heading: Locator
  readonly nameInput: Locator
  readonly createButton: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Groups' })
    this.nameInput = page.getByLabel('Group name')
    this.createButton = page.getByRole('button', { name: 'Create group' })
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/groups`)
    await this.heading.waitFor()
    return this
  }

  row(name: string): Locator {
    return this.page.locator(`tr[data-group="${name}"]`)
  }

  async openGroup(name: string): Promise<GroupPage> {
    await this.row(name).getByRole('link', { name }).click()
    const group = new GroupPage(this.page)
    await group.heading(name).waitFor()
    return group
  }
}

export class GroupPage {
  readonly search: Locator

  constructor(readonly page: Page) {
    this.search = page.getByLabel('Find a user by email or name')
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) })
  }

  member(name: string): Locator {
    return this.page.locator(`tr[data-member="${name}"]`)
  }

  removeButton(name: string): Locator {
    return this.member(name).getByRole('button', { name: `Remove ${name}` })
  }

  /** The candidate line of a user found by the add form's search. */
  async candidate(email: string): Promise<Locator> {
    await this.search.fill(email)
    const line = this.page
      .getByRole('list', { name: 'Matching users' })
      .getByRole('listitem')
      .filter({ hasText: email })
    await line.waitFor()
    return line
  }

  /** Finds the user by email and adds them; `display` is how the member list names them. */
  async add(email: string, display: string): Promise<void> {
    await this.search.fill(email)
    await this.page.getByRole('button', { name: `Add ${email}` }).click()
    await this.member(display).waitFor()
  }
}
