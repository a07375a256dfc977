import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost, testConfig, type TestHost, type TestSession } from '../../helpers/host.ts';

/** Handles in `GET /v1/contacts` of `who`. */
async function contactHandles(t: TestHost, who: TestSession): Promise<string[]> {
  const res = await t.call('GET', '/v1/contacts', { token: who.accessToken });
  assert.equal(res.status, 200);
  return res.body.contacts.map((c: { person: { handle: string } }) => c.person.handle);
}

/** `GET /v1/contacts/requests` of `who`, as handles of the other side. */
async function pending(t: TestHost, who: TestSession): Promise<{ incoming: string[]; outgoing: string[] }> {
  const res = await t.call('GET', '/v1/contacts/requests', { token: who.accessToken });
  assert.equal(res.status, 200);
  const handles = (list: Array<{ person: { handle: string } }>) => list.map((r) => r.person.handle);
  return { incoming: handles(res.body.incoming), outgoing: handles(res.body.outgoing) };
}

async function blockedHandles(t: TestHost, who: TestSession): Promise<string[]> {
  const res = await t.call('GET', '/v1/contacts/blocks', { token: who.accessToken });
  assert.equal(res.status, 200);
  return res.body.blocks.map((b: { person: { handle: string } }) => b.person.handle);
}

/** Sends a contact request by handle and returns the response. */
function ask(t: TestHost, from: TestSession, handle: string, message?: string) {
  return t.call('POST', '/v1/contacts/requests', { token: from.accessToken, json: { handle, ...(message === undefined ? {} : { message }) } });
}

/** Makes `a` and `b` contacts (a asks, b accepts). */
async function befriend(t: TestHost, a: TestSession, b: TestSession): Promise<void> {
  const sent = await ask(t, a, b.handle);
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: b.accessToken })).status, 200);
}

describe('contacts: requests', () => {
  it('sends a request by handle in any case; once accepted both see each other', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada', { displayName: 'Ada Lovelace' });
    const bob = await t.signUp('bob', { displayName: 'Bob Babbage' });

    const sent = await ask(t, ada, 'BoB', 'Hi Bob, it is Ada');
    assert.equal(sent.status, 201);
    assert.match(sent.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(sent.body.id, /^creq_/);
    assert.deepEqual(sent.body.person, { id: bob.userId, handle: 'bob', displayName: 'Bob Babbage' });
    assert.equal(sent.body.status, 'pending');
    assert.equal(sent.body.message, 'Hi Bob, it is Ada');
    assert.equal(sent.body.createdAt, t.clock.now());

    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: ['bob'] });
    const bobs = await t.call('GET', '/v1/contacts/requests', { token: bob.accessToken });
    assert.equal(bobs.body.incoming.length, 1);
    assert.equal(bobs.body.incoming[0].id, sent.body.id);
    assert.deepEqual(bobs.body.incoming[0].person, { id: ada.userId, handle: 'ada', displayName: 'Ada Lovelace' });
    assert.equal(bobs.body.incoming[0].message, 'Hi Bob, it is Ada');
    assert.deepEqual(await contactHandles(t, ada), [], 'a pending request is not a contact yet');

    t.clock.advance(60_000);
    const accepted = await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: bob.accessToken });
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.body, { person: { id: ada.userId, handle: 'ada', displayName: 'Ada Lovelace' }, since: t.clock.now() });

    const adas = await t.call('GET', '/v1/contacts', { token: ada.accessToken });
    assert.deepEqual(adas.body.contacts, [{ person: { id: bob.userId, handle: 'bob', displayName: 'Bob Babbage' }, since: t.clock.now() }]);
    assert.deepEqual(await contactHandles(t, bob), ['ada']);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] }, 'an accepted request is no longer pending');
    assert.deepEqual(await pending(t, bob), { incoming: [], outgoing: [] });
    expectProblem(await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: bob.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
  });

  it('defaults the message to empty and refuses one over 200 characters', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    await t.signUp('bob');
    const long = expectProblem(await ask(t, ada, 'bob', 'x'.repeat(201)), 400, 'VALIDATION_FAILED');
    assert.ok(long.errors.some((e: { path: string }) => e.path === 'body.message'), JSON.stringify(long.errors));
    const sent = await ask(t, ada, 'bob');
    assert.equal(sent.status, 201);
    assert.equal(sent.body.message, '');
  });

  it('sends a request by QR card code', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const card = await t.call('GET', '/v1/me/card', { token: bob.accessToken });
    const sent = await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { cardCode: card.body.cardCode, message: 'scanned your code' } });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.person.id, bob.userId);
    const accepted = await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: bob.accessToken });
    assert.equal(accepted.status, 200);
    assert.deepEqual(await contactHandles(t, ada), ['bob']);
    assert.deepEqual(await contactHandles(t, bob), ['ada']);
  });

  it('refuses a body with both or neither of handle and cardCode', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const card = (await t.call('GET', '/v1/me/card', { token: bob.accessToken })).body.cardCode;
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { handle: 'bob', cardCode: card } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { message: 'hello' } }), 400, 'VALIDATION_FAILED');
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
  });

  it('declines a request: no contact, nothing pending, and it cannot be accepted afterwards', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const sent = await ask(t, ada, 'bob');
    assert.equal((await t.call('POST', `/v1/contacts/requests/${sent.body.id}/decline`, { token: bob.accessToken })).status, 204);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, bob), { incoming: [], outgoing: [] });
    assert.deepEqual(await contactHandles(t, ada), []);
    assert.deepEqual(await contactHandles(t, bob), []);
    expectProblem(await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: bob.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    expectProblem(await t.call('POST', `/v1/contacts/requests/${sent.body.id}/decline`, { token: bob.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    expectProblem(await t.call('DELETE', `/v1/contacts/requests/${sent.body.id}`, { token: ada.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    assert.equal((await ask(t, ada, 'bob')).status, 201, 'a declined request may be followed by a new one');
  });

  it('withdraws a request I sent: it disappears for both and cannot be accepted', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const sent = await ask(t, ada, 'bob');
    assert.equal((await t.call('DELETE', `/v1/contacts/requests/${sent.body.id}`, { token: ada.accessToken })).status, 204);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, bob), { incoming: [], outgoing: [] });
    expectProblem(await t.call('POST', `/v1/contacts/requests/${sent.body.id}/accept`, { token: bob.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    expectProblem(await t.call('DELETE', `/v1/contacts/requests/${sent.body.id}`, { token: ada.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    assert.deepEqual(await contactHandles(t, bob), []);
  });

  it('refuses a second request while one is pending', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    await t.signUp('bob');
    assert.equal((await ask(t, ada, 'bob')).status, 201);
    expectProblem(await ask(t, ada, 'BOB'), 409, 'CONTACT_REQUEST_PENDING');
    const card = (await t.call('GET', '/v1/me/card', { token: (await t.signIn('bob')).accessToken })).body.cardCode;
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { cardCode: card } }), 409, 'CONTACT_REQUEST_PENDING');
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: ['bob'] });
  });

  it('accepts their request when I ask someone who already asked me', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada', { displayName: 'Ada' });
    const bob = await t.signUp('bob');
    const theirs = await ask(t, ada, 'bob');
    const mine = await ask(t, bob, 'ada');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body, { contact: { person: { id: ada.userId, handle: 'ada', displayName: 'Ada' }, since: t.clock.now() } });
    assert.deepEqual(await contactHandles(t, ada), ['bob']);
    assert.deepEqual(await contactHandles(t, bob), ['ada']);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, bob), { incoming: [], outgoing: [] });
    expectProblem(await t.call('POST', `/v1/contacts/requests/${theirs.body.id}/accept`, { token: bob.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
  });

  it('stays consistent when requests cross or repeat at the same moment', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const crossing = await Promise.all([ask(t, ada, 'bob'), ask(t, bob, 'ada')]);
    assert.deepEqual(crossing.map((r) => r.status).sort(), [200, 201], 'one asks, the other accepts');
    assert.deepEqual(await contactHandles(t, ada), ['bob']);
    assert.deepEqual(await contactHandles(t, bob), ['ada']);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });

    const cyd = await t.signUp('cyd');
    const repeated = await Promise.all([ask(t, ada, 'cyd'), ask(t, ada, 'cyd'), ask(t, ada, 'cyd')]);
    assert.deepEqual(repeated.map((r) => r.status).sort(), [201, 409, 409]);
    for (const res of repeated.filter((r) => r.status === 409)) expectProblem(res, 409, 'CONTACT_REQUEST_PENDING');
    assert.deepEqual(await pending(t, cyd), { incoming: ['ada'], outgoing: [] });
  });

  it('refuses a request to myself, by handle in any case or by my own card', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    expectProblem(await ask(t, ada, 'ada'), 400, 'CONTACT_SELF');
    expectProblem(await ask(t, ada, 'ADA'), 400, 'CONTACT_SELF');
    const card = (await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body.cardCode;
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { cardCode: card } }), 400, 'CONTACT_SELF');
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
  });

  it('refuses an unknown handle or card with CONTACT_USER_NOT_FOUND', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    expectProblem(await ask(t, ada, 'nobody'), 404, 'CONTACT_USER_NOT_FOUND');
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { cardCode: 'zzzz9999zzzz9999' } }), 404, 'CONTACT_USER_NOT_FOUND');
  });

  it('refuses a request to someone who is already a contact', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    await befriend(t, ada, bob);
    expectProblem(await ask(t, ada, 'bob'), 409, 'CONTACT_EXISTS');
    expectProblem(await ask(t, bob, 'ada'), 409, 'CONTACT_EXISTS');
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
  });

  it('rate-limits contact requests per person, with Retry-After, until the window passes', async () => {
    await using t = await startTestHost({ rateLimits: { ...testConfig().rateLimits, contactRequestsPerUser: 3 } });
    const ada = await t.signUp('ada');
    const eve = await t.signUp('eve');
    for (const handle of ['bob', 'cyd', 'dan', 'fay']) await t.signUp(handle);
    for (const handle of ['bob', 'cyd', 'dan']) assert.equal((await ask(t, ada, handle)).status, 201);
    const limited = await ask(t, ada, 'fay');
    const body = expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= t.config.rateLimits.windowMs / 1000, `Retry-After: ${retryAfter}`);
    assert.equal(body.retryAfter, retryAfter);
    assert.deepEqual((await pending(t, ada)).outgoing.sort(), ['bob', 'cyd', 'dan'], 'the refused request was not stored');
    assert.equal((await ask(t, eve, 'fay')).status, 201, 'the limit is per person');
    t.clock.advance(t.config.rateLimits.windowMs + 1000);
    const later = await t.signIn('ada'); // the first access token has expired meanwhile
    assert.equal((await ask(t, later, 'fay')).status, 201);
  });
});

describe('contacts: removing', () => {
  it('removes a contact from both sides', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const cyd = await t.signUp('cyd');
    await befriend(t, ada, bob);
    await befriend(t, ada, cyd);
    assert.equal((await t.call('DELETE', `/v1/contacts/${bob.userId}`, { token: ada.accessToken })).status, 204);
    assert.deepEqual(await contactHandles(t, ada), ['cyd']);
    assert.deepEqual(await contactHandles(t, bob), []);
    assert.deepEqual(await contactHandles(t, cyd), ['ada']);
    expectProblem(await t.call('DELETE', `/v1/contacts/${bob.userId}`, { token: ada.accessToken }), 404, 'CONTACT_NOT_FOUND');
    expectProblem(await t.call('DELETE', `/v1/contacts/${ada.userId}`, { token: bob.accessToken }), 404, 'CONTACT_NOT_FOUND');
    assert.equal((await ask(t, bob, 'ada')).status, 201, 'a removed contact may ask again');
  });

  it('lists contacts by display name', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    for (const [handle, displayName] of [
      ['zed', 'Zed'],
      ['amy', 'amy'],
      ['kim', 'Kim'],
    ] as const) {
      await befriend(t, ada, await t.signUp(handle, { displayName }));
    }
    assert.deepEqual(await contactHandles(t, ada), ['amy', 'kim', 'zed']);
  });
});

describe('contacts: blocking', () => {
  it('blocking removes the contact both ways and closes pending requests both ways', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const cyd = await t.signUp('cyd');
    const dan = await t.signUp('dan');
    await befriend(t, ada, bob);
    const toCyd = await ask(t, ada, 'cyd');
    const fromDan = await ask(t, dan, 'ada');

    for (const other of [bob, cyd, dan]) assert.equal((await t.call('PUT', `/v1/contacts/blocks/${other.userId}`, { token: ada.accessToken })).status, 204);
    assert.deepEqual(await contactHandles(t, ada), []);
    assert.deepEqual(await contactHandles(t, bob), []);
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, cyd), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, dan), { incoming: [], outgoing: [] });
    expectProblem(await t.call('POST', `/v1/contacts/requests/${toCyd.body.id}/accept`, { token: cyd.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    expectProblem(await t.call('POST', `/v1/contacts/requests/${fromDan.body.id}/accept`, { token: ada.accessToken }), 409, 'CONTACT_REQUEST_CLOSED');
    assert.deepEqual((await blockedHandles(t, ada)).sort(), ['bob', 'cyd', 'dan']);
  });

  it("refuses the blocked person's request, and mine to them", async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    expectProblem(await ask(t, bob, 'ada'), 403, 'CONTACT_REQUEST_REFUSED');
    const adaCard = (await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body.cardCode;
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: bob.accessToken, json: { cardCode: adaCard } }), 403, 'CONTACT_REQUEST_REFUSED');
    expectProblem(await ask(t, ada, 'bob'), 403, 'CONTACT_REQUEST_REFUSED');
    assert.deepEqual(await pending(t, ada), { incoming: [], outgoing: [] });
    assert.deepEqual(await pending(t, bob), { incoming: [], outgoing: [] });
    assert.deepEqual(await blockedHandles(t, bob), [], "ada's block is not bob's");
  });

  it('blocking is idempotent; I cannot block myself or someone who does not exist', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    assert.deepEqual(await blockedHandles(t, ada), ['bob']);
    expectProblem(await t.call('PUT', `/v1/contacts/blocks/${ada.userId}`, { token: ada.accessToken }), 400, 'CONTACT_SELF');
    expectProblem(await t.call('PUT', '/v1/contacts/blocks/usr_00000000000000000', { token: ada.accessToken }), 404, 'CONTACT_USER_NOT_FOUND');
    assert.deepEqual(await blockedHandles(t, ada), ['bob']);
  });

  it('unblocks: requests flow again, the contact is not restored', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    await befriend(t, ada, bob);
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    assert.equal((await t.call('DELETE', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    assert.deepEqual(await blockedHandles(t, ada), []);
    assert.deepEqual(await contactHandles(t, ada), []);
    assert.deepEqual(await contactHandles(t, bob), []);
    expectProblem(await t.call('DELETE', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken }), 404, 'CONTACT_NOT_FOUND');
    assert.equal((await ask(t, bob, 'ada')).status, 201);
  });

  it('lists the people I block, newest first, with when', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob', { displayName: 'Bob' });
    const cyd = await t.signUp('cyd');
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    const bobSince = t.clock.now();
    t.clock.advance(1000);
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${cyd.userId}`, { token: ada.accessToken })).status, 204);
    const res = await t.call('GET', '/v1/contacts/blocks', { token: ada.accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.blocks.map((b: { person: { handle: string } }) => b.person.handle), ['cyd', 'bob']);
    assert.deepEqual(res.body.blocks[1], { person: { id: bob.userId, handle: 'bob', displayName: 'Bob' }, since: bobSince });
  });
});

describe('contacts: QR card', () => {
  it('shows my card code and the link the QR encodes', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const res = await t.call('GET', '/v1/me/card', { token: ada.accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['cardCode', 'url']);
    assert.match(res.body.cardCode, /^[0-9a-z]{4,64}$/);
    assert.equal(res.body.url, `${t.config.publicUrl}/c/${res.body.cardCode}`);
    assert.equal((await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body.cardCode, res.body.cardCode, 'stable until reset');
  });

  it('looks a card up showing only id, handle and display name (never the phone)', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada', { phone: '+39 06 6982 1234', displayName: 'Ada L' });
    const bob = await t.signUp('bob');
    const { cardCode } = (await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body;
    const res = await t.call('GET', `/v1/people/by-card/${cardCode}`, { token: bob.accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: ada.userId, handle: 'ada', displayName: 'Ada L' });
    assert.ok(!res.text.includes('6982'), 'no trace of the phone number');
    expectProblem(await t.call('GET', '/v1/people/by-card/zzzz9999zzzz9999', { token: bob.accessToken }), 404, 'CONTACT_USER_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/people/by-card/${cardCode}`), 401, 'UNAUTHENTICATED');
  });

  it('resetting the card makes the old code unknown and the new one work', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const old = (await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body.cardCode;
    const reset = await t.call('POST', '/v1/me/card/reset', { token: ada.accessToken });
    assert.equal(reset.status, 200);
    assert.notEqual(reset.body.cardCode, old);
    assert.equal(reset.body.url, `${t.config.publicUrl}/c/${reset.body.cardCode}`);
    assert.equal((await t.call('GET', '/v1/me/card', { token: ada.accessToken })).body.cardCode, reset.body.cardCode);
    expectProblem(await t.call('GET', `/v1/people/by-card/${old}`, { token: bob.accessToken }), 404, 'CONTACT_USER_NOT_FOUND');
    expectProblem(await t.call('POST', '/v1/contacts/requests', { token: bob.accessToken, json: { cardCode: old } }), 404, 'CONTACT_USER_NOT_FOUND');
    assert.equal((await t.call('GET', `/v1/people/by-card/${reset.body.cardCode}`, { token: bob.accessToken })).body.id, ada.userId);
    assert.equal((await t.call('POST', '/v1/contacts/requests', { token: bob.accessToken, json: { cardCode: reset.body.cardCode } })).status, 201);
  });
});
