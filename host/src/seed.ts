/**
 * @module Demo data for a first start: a few people with display names and contacts, so a newcomer can try
 * scan-to-login, contacts and devices at once (and a platform reviewer, @rita), and the Corner Shop sample's
 * merchant (owned by @grace) so paying inside a mini-app works out of the box. Only ever written into an empty
 * database.
 */
import type { HostServices } from './app.ts';
import type { AppPayments } from './merchants/app-payments.ts';
import { PLATFORM } from './developer/index.ts';
import type { Merchant } from './merchants/service.ts';

/** The demo people's shared password (printed at first start and in the README). */
export const DEMO_PASSWORD = 'atrium-demo';

const PEOPLE = [
  { handle: 'ada', displayName: 'Ada Lovelace', locale: 'en' },
  { handle: 'grace', displayName: 'Grace Hopper', locale: 'en' },
  { handle: 'lin', displayName: '林徽因', locale: 'zh-CN' },
  { handle: 'rita', displayName: 'Rita Levi-Montalcini', locale: 'it' },
  { handle: 'somchai', displayName: 'สมชาย ใจดี', locale: 'th' },
] as const;

/** Seeds demo people when there are none; returns their handles, or an empty list when it did nothing. */
export async function seedDemoData(services: HostServices): Promise<string[]> {
  const { identity, contacts } = services;
  if (await identity.hasAnyAccount()) return [];
  const ids = new Map<string, string>();
  for (const person of PEOPLE) {
    const me = await identity.createAccount({ ...person, password: DEMO_PASSWORD });
    ids.set(person.handle, me.id);
  }
  const id = (handle: string): string => ids.get(handle) ?? '';
  // ada and grace are contacts; lin and rita have asked ada; ada has asked somchai.
  const first = await contacts.request(id('grace'), { handle: 'ada' }, 'Hi Ada, it is Grace.');
  if ('request' in first) await contacts.accept(id('ada'), first.request.id);
  await contacts.request(id('lin'), { handle: 'ada' }, '你好 Ada!');
  await contacts.request(id('rita'), { handle: 'ada' }, 'Ciao Ada!');
  await contacts.request(id('ada'), { handle: 'somchai' }, 'Sawasdee!');
  // rita reviews mini-app versions submitted on the developer platform.
  await services.developer.members.grantReviewer(id('rita'));
  await seedDemoShop(services, id('grace'));
  return PEOPLE.map((p) => p.handle);
}

/** The Corner Shop sample (miniapps/shop) and where its backend receives Atrium's webhooks in development. */
export const DEMO_SHOP = { appId: 'dev.atrium.shop', webhookUrl: 'https://shop-backend.atrium-samples.test/webhooks/atrium' } as const;

/**
 * The Corner Shop's merchant, owned by `ownerUserId`: bound to the sample app by the platform (its samples are
 * the platform's), with its webhooks going to the sample's backend. The backend's API key is minted at each
 * start by the development loader ({@link AppPayments.developmentKey}).
 */
export async function seedDemoShop(services: HostServices, ownerUserId: string): Promise<Merchant> {
  const { merchants, webhooks, appPayments } = services.wallet;
  const merchant = await merchants.create(ownerUserId, { name: 'Corner Shop', qrName: 'CORNER SHOP', city: 'Shanghai', countryCode: 'CN' });
  await webhooks.setEndpoint(merchant.id, DEMO_SHOP.webhookUrl);
  await appPayments.link(PLATFORM, merchant.id, DEMO_SHOP.appId);
  return merchant;
}
