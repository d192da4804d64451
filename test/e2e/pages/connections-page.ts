// Enterprise Connection: the list of login connections, and New Connection → OpenID Connect.
import type { Locator, Page } from 'playwright-core'

export interface OidcConnectionFields {
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly domain: string
}

export class ConnectionsPage {
  readonly heading: Locator
  readonly newButton: Locator
  readonly emptyState: Locator
  readonly table: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Enterprise Connection' })
    this.newButton = page.getByRole('link', { name: 'New connection' })
    this.emptyState = page.getByText('No login connection yet')
    this.table = page.getByRole('table')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/connections`)
    await this.heading.waitFor()
    return this
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name }) })
  }
}

export class NewConnectionPage {
  readonly heading: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'New connection' })
  }

  async chooseOpenIdConnect(): Promise<void> {
    await this.page.getByRole('button', { name: /OpenID Connect/ }).click()
    await this.page.getByRole('heading', { name: 'OpenID Connect: setup' }).waitFor()
  }

  async fill(fields: OidcConnectionFields): Promise<void> {
    await this.page.getByLabel('Connection name').fill(fields.name)
    await this.page.getByLabel('Issuer URL').fill(fields.issuer)
    await this.page.getByLabel('Client ID').fill(fields.clientId)
    await this.page.getByLabel('Client secret').fill(fields.clientSecret)
    await this.page.getByLabel('Identity provider domain').fill(fields.domain)
  }

  async create(): Promise<void> {
    await this.page.getByRole('button', { name: 'Create' }).click()
  }
}
