// Users: search and filters, the table (origin, role, status, actions), invite dialog.
import type { Locator, Page } from 'playwright-core'

export class UsersPage {
  readonly heading: Locator
  readonly search: Locator
  readonly originFilter: Locator
  readonly inviteButton: Locator
  readonly dialog: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Users' })
    this.search = page.getByLabel('Search by email or name')
    this.originFilter = page.getByLabel('Origin', { exact: true })
    this.inviteButton = page.getByRole('button', { name: 'Invite user' })
    this.dialog = page.getByRole('dialog')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/users`)
    await this.heading.waitFor()
    return this
  }

  /** The table row of a user, by email. */
  row(email: string): Locator {
    return this.page.locator(`tr[data-user="${email}"]`)
  }

  origin(email: string): Promise<string> {
    return this.row(email).locator('.badge').first().innerText()
  }

  status(email: string): Promise<string> {
    return this.row(email).locator('.badge').nth(1).innerText()
  }

  roleSelect(email: string): Locator {
    return this.page.getByLabel(`Role of ${email}`)
  }

  disableButton(email: string): Locator {
    return this.row(email).getByRole('button', { name: `Disable ${email}` })
  }

  deleteButton(email: string): Locator {
    return this.row(email).getByRole('button', { name: `Delete ${email}` })
  }

  reason(email: string): Locator {
    return this.row(email).locator('.reason')
  }

  /** Invites a user and answers the set-password link the dialog shows once. */
  async invite(email: string, displayName: string, role: string): Promise<string> {
    await this.inviteButton.click()
    await this.dialog.getByLabel('Email').fill(email)
    await this.dialog.getByLabel('Display name (optional)').fill(displayName)
    await this.dialog.getByLabel('Role').selectOption(role)
    await this.dialog.getByRole('button', { name: 'Invite', exact: true }).click()
    const link = this.dialog.locator('[data-field="set-password-url"]')
    await link.waitFor()
    return link.innerText()
  }

  async copyLink(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Copy Set-password link' }).click()
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Done' }).click()
    await this.dialog.waitFor({ state: 'hidden' })
  }
}
