import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

describe('identity: devices', () => {
  it('lists my devices with names from their user agents, marking this one', async () => {
    await using t = await startTestHost();
    const laptop = await t.signUp('ada');
    const phone = await t.signIn('ada', undefined, IPHONE);
    const res = await t.call('GET', '/v1/devices', { token: phone.accessToken });
    assert.equal(res.status, 200);
    const byId = new Map(res.body.devices.map((d: { id: string }) => [d.id, d]));
    assert.deepEqual(byId.get(phone.deviceId), { ...(byId.get(phone.deviceId) as object), name: 'Safari on iPhone', current: true, method: 'password' });
    assert.equal((byId.get(laptop.deviceId) as { current: boolean }).current, false);
  });

  it('renames a device', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const res = await t.call('PATCH', `/v1/devices/${ada.deviceId}`, { token: ada.accessToken, json: { name: 'Work laptop' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'Work laptop');
    expectProblem(await t.call('PATCH', `/v1/devices/${ada.deviceId}`, { token: ada.accessToken, json: { name: '' } }), 400, 'VALIDATION_FAILED');
  });

  it('revokes a device: its very next request is refused, not after 15 minutes', async () => {
    await using t = await startTestHost();
    const phone = await t.signUp('ada');
    const laptop = await t.signIn('ada');
    assert.equal((await t.call('GET', '/v1/me', { token: laptop.accessToken })).status, 200);
    const events: unknown[] = [];
    t.host.services.bus.subscribe('identity.device.revoked', (e) => events.push(e));
    assert.equal((await t.call('DELETE', `/v1/devices/${laptop.deviceId}`, { token: phone.accessToken })).status, 204);
    expectProblem(await t.call('GET', '/v1/me', { token: laptop.accessToken }), 401, 'AUTH_DEVICE_REVOKED');
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: laptop.refreshToken } }), 401, 'AUTH_DEVICE_REVOKED');
    assert.deepEqual(events, [{ userId: phone.userId, deviceId: laptop.deviceId, reason: 'revoked' }]);
    expectProblem(await t.call('DELETE', `/v1/devices/${laptop.deviceId}`, { token: phone.accessToken }), 404, 'DEVICE_NOT_FOUND');
  });

  it("never reads, renames or revokes another person's device", async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const eve = await t.signUp('eve');
    const list = await t.call('GET', '/v1/devices', { token: eve.accessToken });
    assert.ok(!list.text.includes(ada.deviceId));
    expectProblem(await t.call('PATCH', `/v1/devices/${ada.deviceId}`, { token: eve.accessToken, json: { name: 'pwned' } }), 404, 'DEVICE_NOT_FOUND');
    expectProblem(await t.call('DELETE', `/v1/devices/${ada.deviceId}`, { token: eve.accessToken }), 404, 'DEVICE_NOT_FOUND');
    assert.equal((await t.call('GET', '/v1/me', { token: ada.accessToken })).status, 200);
    const mine = await t.call('GET', '/v1/devices', { token: ada.accessToken });
    assert.equal(mine.body.devices[0].name, 'Chrome on Linux');
  });
});
