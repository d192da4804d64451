// Roles: add a group → role rule, delete one, look up a person's role and its source.
import type { Locator, Page } from 'playwright-core'

export class RolesPage {
  readonly heading: Locator
  readonly emptyState: Locator
  readonly groupSearch: Locator
  readonly group: Locator
  readonly role: Locator
  readonly addButton: Locator
  readonly lookupEmail: Locator
  readonly lookupButton: Locator
  readonly lookupResult: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Roles' })
    this.emptyState = page.getByText('No rule yet')
    const form = page.getByRole('form', { name: 'Add a rule' })
    this.groupSearch = form.getByLabel('Find a group')
    this.group = form.getByLabel('Group', { exact: true })
    this.role = form.getByLabel('Role', { exact: true })
    this.addButton = form.getByRole('button', { name: 'Add rule' })
    const lookup = page.getByRole('form', { name: 'Look up a role' })
    this.lookupEmail = lookup.getByLabel('Email')
    this.lookupButton = lookup.getByRole('button', { name: 'Look up' })
    this.lookupResult = page.locator('.lookup-result')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/roles`)
    await this.heading.waitFor()
    return this
  }

  /** The table row of a group's rule. */
  row(groupName: string): Locator {
    return this.page.locator(`tr[data-group="${groupName}"]`)
  }

  /** Picks the group by searching its name, then adds the rule. */
  async addRule(groupName: string, role: string): Promise<void> {
    await this.groupSearch.fill(groupName)
    await this.group
      .locator('option', { hasText: groupName })
      .first()
      .waitFor({ state: 'attached' })
    const value = await this.group
      .locator('option', { hasText: groupName })
      .first()
      .getAttribute('value')
    await this.group.selectOption(value ?? '')
    await this.role.selectOption(role)
    await this.addButton.click()
    await this.row(groupName).waitFor()
  }

  async deleteRule(groupName: string): Promise<void> {
    await this.row(groupName)
      .getByRole('button', { name: `Delete the rule of ${groupName}` })
      .click()
    await this.page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click()
    await this.row(groupName).waitFor({ state: 'detached' })
  }

  /** Looks the person up and answers the line shown, e.g. "ann@…: Editor, via group X". */
  async lookUp(email: string): Promise<string> {
    await this.lookupEmail.fill(email)
    await this.lookupButton.click()
    // The answer for this email (an earlier answer may still be shown for a moment).
    const result = this.lookupResult.filter({ hasText: email })
    await result.waitFor()
    return result.innerText()
  }
}
