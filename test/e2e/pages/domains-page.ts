// Domains: add one, its TXT record, verify, remove.
import type { Locator, Page } from 'playwright-core'

export class DomainsPage {
  readonly heading: Locator
  readonly domainInput: Locator
  readonly addButton: Locator
  readonly emptyState: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Domains' })
    this.domainInput = page.getByLabel('Domain', { exact: true })
    this.addButton = page.getByRole('button', { name: 'Add domain' })
    this.emptyState = page.getByText('No domain yet')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/domains`)
    await this.heading.waitFor()
    return this
  }

  /** The list item of a domain. */
  item(domain: string): Locator {
    return this.page.getByRole('listitem').filter({
      has: this.page.getByRole('heading', { level: 3, name: domain, exact: true }),
    })
  }

  async add(domain: string): Promise<void> {
    await this.domainInput.fill(domain)
    await this.addButton.click()
    await this.item(domain).waitFor()
  }

  status(domain: string): Promise<string> {
    return this.item(domain).locator('.badge').innerText()
  }

  txtName(domain: string): Promise<string> {
    return this.item(domain).locator('[data-field="txt-name"]').innerText()
  }

  txtValue(domain: string): Promise<string> {
    return this.item(domain).locator('[data-field="txt-value"]').innerText()
  }

  async copyTxtValue(domain: string): Promise<void> {
    await this.item(domain).getByRole('button', { name: 'Copy Value' }).click()
  }

  async verify(domain: string): Promise<void> {
    await this.item(domain)
      .getByRole('button', { name: `Verify ${domain}` })
      .click()
  }

  async remove(domain: string): Promise<void> {
    await this.item(domain)
      .getByRole('button', { name: `Remove ${domain}` })
      .click()
    await this.page.getByRole('dialog').getByRole('button', { name: 'Remove domain' }).click()
    await this.item(domain).waitFor({ state: 'detached' })
  }
}
