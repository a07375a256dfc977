import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost, TEST_PASSWORD, testConfig } from '../../helpers/host.ts';

describe('identity: sign up and sign in', () => {
  it('signs up, returns a session, and /v1/me shows the account', async () => {
    await using t = await startTestHost();
    const res = await t.call('POST', '/v1/auth/signup', { json: { handle: 'Ada.L', displayName: 'Ada Lovelace', password: TEST_PASSWORD, phone: '+39 06 6982 1234' } });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(res.body.user.handle, 'ada.l', 'handles are stored lowercase');
    assert.equal(res.body.user.phone, '+390669821234', 'phone normalized to E.164');
    assert.equal(res.body.device.method, 'signup');
    assert.equal(res.body.device.name, 'Chrome on Linux');
    assert.match(res.body.refreshToken, /^rt_/);
    const me = await t.call('GET', '/v1/me', { token: res.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.displayName, 'Ada Lovelace');
    assert.equal(me.headers.get('cache-control'), 'no-store');
  });

  it('treats handles case-insensitively and refuses a taken or reserved one', async () => {
    await using t = await startTestHost();
    await t.signUp('grace');
    expectProblem(await t.call('POST', '/v1/auth/signup', { json: { handle: 'GRACE', displayName: 'G', password: TEST_PASSWORD } }), 409, 'HANDLE_TAKEN');
    expectProblem(await t.call('POST', '/v1/auth/signup', { json: { handle: 'Admin', displayName: 'A', password: TEST_PASSWORD } }), 409, 'HANDLE_TAKEN');
    const signedIn = await t.call('POST', '/v1/auth/signin', { json: { handle: 'Grace', password: TEST_PASSWORD } });
    assert.equal(signedIn.status, 200);
  });

  it('rejects bad handles, short passwords, unknown fields and wrong types with located errors', async () => {
    await using t = await startTestHost();
    const cases: Array<[unknown, string]> = [
      [{ handle: 'ab', displayName: 'x', password: TEST_PASSWORD }, 'body.handle'],
      [{ handle: 'a'.repeat(33), displayName: 'x', password: TEST_PASSWORD }, 'body.handle'],
      [{ handle: 'no-dash', displayName: 'x', password: TEST_PASSWORD }, 'body.handle'],
      [{ handle: 'okay', displayName: 'x', password: 'short' }, 'body.password'],
      [{ handle: 'okay', displayName: '', password: TEST_PASSWORD }, 'body.displayName'],
      [{ handle: 'okay', displayName: 'x\u0000y', password: TEST_PASSWORD }, 'body.displayName'],
      [{ handle: 'okay', displayName: 'x', password: TEST_PASSWORD, admin: true }, 'body.admin'],
      [{ handle: 42, displayName: 'x', password: TEST_PASSWORD }, 'body.handle'],
    ];
    for (const [json, path] of cases) {
      const body = expectProblem(await t.call('POST', '/v1/auth/signup', { json }), 400, 'VALIDATION_FAILED');
      assert.ok(body.errors.some((e: { path: string }) => e.path === path), `${JSON.stringify(json)} → ${JSON.stringify(body.errors)}`);
    }
  });

  it('refuses an invalid phone number and a phone that belongs to someone else', async () => {
    await using t = await startTestHost();
    expectProblem(await t.call('POST', '/v1/auth/signup', { json: { handle: 'pat', displayName: 'P', password: TEST_PASSWORD, phone: '12345' } }), 400, 'PHONE_INVALID');
    await t.signUp('first', { phone: '+66 81 234 5678' });
    expectProblem(await t.call('POST', '/v1/auth/signup', { json: { handle: 'second', displayName: 'S', password: TEST_PASSWORD, phone: '+66812345678' } }), 409, 'PHONE_TAKEN');
  });

  it('answers an unknown handle exactly like a wrong password', async () => {
    await using t = await startTestHost();
    await t.signUp('alan');
    const wrong = expectProblem(await t.call('POST', '/v1/auth/signin', { json: { handle: 'alan', password: 'not the password' } }), 401, 'AUTH_INVALID_CREDENTIALS');
    const unknown = expectProblem(await t.call('POST', '/v1/auth/signin', { json: { handle: 'nobody', password: 'not the password' } }), 401, 'AUTH_INVALID_CREDENTIALS');
    const { instance: _a, ...a } = wrong;
    const { instance: _b, ...b } = unknown;
    assert.deepEqual(a, b);
  });

  it('rate-limits failed sign-ins per account with Retry-After, and lets the person in after the window', async () => {
    await using t = await startTestHost();
    await t.signUp('kim');
    const limit = t.config.rateLimits.signinFailuresPerAccount;
    for (let i = 0; i < limit; i++) expectProblem(await t.call('POST', '/v1/auth/signin', { json: { handle: 'kim', password: 'wrong password' } }), 401, 'AUTH_INVALID_CREDENTIALS');
    const limited = await t.call('POST', '/v1/auth/signin', { json: { handle: 'KIM', password: TEST_PASSWORD } });
    const body = expectProblem(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(body.retryAfter, Number(limited.headers.get('retry-after')));
    t.clock.advance(t.config.rateLimits.windowMs + 1000);
    assert.equal((await t.call('POST', '/v1/auth/signin', { json: { handle: 'kim', password: TEST_PASSWORD } })).status, 200);
  });

  it('rate-limits sign-in attempts per client address', async () => {
    const perAddress = 5;
    await using limited = await startTestHost({ trustProxy: true, rateLimits: { ...testConfig().rateLimits, signinPerAddress: perAddress } });
    await limited.signUp('lee');
    const from = (ip: string) => ({ json: { handle: 'lee', password: TEST_PASSWORD }, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < perAddress; i++) assert.equal((await limited.call('POST', '/v1/auth/signin', from('203.0.113.7'))).status, 200);
    expectProblem(await limited.call('POST', '/v1/auth/signin', from('203.0.113.7')), 429, 'RATE_LIMITED');
    assert.equal((await limited.call('POST', '/v1/auth/signin', from('198.51.100.2'))).status, 200, 'another address is not affected');
  });

  it('signs out: the token stops working and the device is gone from the list', async () => {
    await using t = await startTestHost();
    const phone = await t.signUp('moe');
    const laptop = await t.signIn('moe');
    assert.equal((await t.call('POST', '/v1/auth/signout', { token: laptop.accessToken })).status, 204);
    expectProblem(await t.call('GET', '/v1/me', { token: laptop.accessToken }), 401, 'AUTH_DEVICE_REVOKED');
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: laptop.refreshToken } }), 401, 'AUTH_DEVICE_REVOKED');
    const list = await t.call('GET', '/v1/devices', { token: phone.accessToken });
    assert.deepEqual(list.body.devices.map((d: { id: string }) => d.id), [phone.deviceId]);
  });

  it('changes the password: the old one stops working and other devices are signed out', async () => {
    await using t = await startTestHost();
    const a = await t.signUp('zoe');
    const b = await t.signIn('zoe');
    const c = await t.signIn('zoe');
    expectProblem(await t.call('POST', '/v1/auth/password', { token: a.accessToken, json: { currentPassword: 'nope nope', newPassword: 'a new password' } }), 403, 'AUTH_PASSWORD_WRONG');
    const changed = await t.call('POST', '/v1/auth/password', { token: a.accessToken, json: { currentPassword: TEST_PASSWORD, newPassword: 'a new password' } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.revokedDevices, 2);
    assert.equal((await t.call('GET', '/v1/me', { token: a.accessToken })).status, 200);
    for (const other of [b, c]) expectProblem(await t.call('GET', '/v1/me', { token: other.accessToken }), 401, 'AUTH_DEVICE_REVOKED');
    expectProblem(await t.call('POST', '/v1/auth/signin', { json: { handle: 'zoe', password: TEST_PASSWORD } }), 401, 'AUTH_INVALID_CREDENTIALS');
    assert.equal((await t.call('POST', '/v1/auth/signin', { json: { handle: 'zoe', password: 'a new password' } })).status, 200);
  });

  it('updates display name, phone and locale, and never shows the phone to anyone else', async () => {
    await using t = await startTestHost();
    const ana = await t.signUp('ana');
    const bo = await t.signUp('bob');
    const updated = await t.call('PATCH', '/v1/me', { token: ana.accessToken, json: { displayName: 'Ana María', phone: '+1 415 555 2671', locale: 'it' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.phone, '+14155552671');
    assert.equal(updated.body.locale, 'it');
    await t.call('POST', '/v1/contacts/requests', { token: bo.accessToken, json: { handle: 'ana' } });
    const incoming = await t.call('GET', '/v1/contacts/requests', { token: ana.accessToken });
    await t.call('POST', `/v1/contacts/requests/${incoming.body.incoming[0].id}/accept`, { token: ana.accessToken });
    const seenByBo = await t.call('GET', '/v1/contacts', { token: bo.accessToken });
    assert.equal(seenByBo.body.contacts[0].person.displayName, 'Ana María');
    assert.ok(!seenByBo.text.includes('4155552671'), 'the phone is not in what others see');
    const removed = await t.call('PATCH', '/v1/me', { token: ana.accessToken, json: { phone: null } });
    assert.equal(removed.body.phone, null);
  });
});
