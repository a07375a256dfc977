import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost, type TestHost } from '../../helpers/host.ts';

const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

async function newTicket(t: TestHost): Promise<{ ticketId: string; secret: string; url: string; expiresAt: number }> {
  const res = await t.call('POST', '/v1/auth/login-tickets', { headers: { 'user-agent': DESKTOP } });
  assert.equal(res.status, 201);
  return res.body;
}

describe('identity: scan-to-login', () => {
  it('creates a two-minute ticket whose link the QR encodes; a wait returns pending after the long-poll window', async () => {
    await using t = await startTestHost({ longPollMs: 100 });
    const ticket = await newTicket(t);
    assert.equal(ticket.url, `${t.config.publicUrl}/l/${ticket.ticketId}`);
    assert.equal(ticket.expiresAt - t.clock.now(), 2 * 60_000);

    const first = await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } });
    assert.equal(first.status, 200, 'a wait while pending returns pending at the latest after the long-poll window');
    assert.equal(first.body.status, 'pending');
  });

  it('walks pending → scanned → confirmed, with the phone seeing which device asks', async () => {
    await using t = await startTestHost({ longPollMs: 20_000 });
    const phone = await t.signUp('ada');
    const ticket = await newTicket(t);

    const waitingForScan = t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } });
    const view = await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: phone.accessToken });
    assert.equal(view.status, 200);
    assert.equal(view.body.requester.deviceName, 'Chrome on Windows');
    assert.equal(view.body.status, 'scanned');
    assert.equal((await waitingForScan).body.status, 'scanned');

    const started = performance.now();
    const waitingForConfirm = t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: phone.accessToken })).status, 204);
    const confirmed = await waitingForConfirm;
    assert.ok(performance.now() - started < 1000, 'woken by the confirmation, not by the timeout');
    assert.equal(confirmed.body.status, 'confirmed');
    const session = confirmed.body.session;
    assert.equal(session.user.id, phone.userId);
    assert.equal(session.device.method, 'qr');
    assert.equal(session.device.name, 'Chrome on Windows');
    assert.equal((await t.call('GET', '/v1/me', { token: session.accessToken })).status, 200);
    const devices = await t.call('GET', '/v1/devices', { token: phone.accessToken });
    assert.equal(devices.body.devices.length, 2);
  });

  it('is one-use: collecting or confirming again is TICKET_USED', async () => {
    await using t = await startTestHost();
    const phone = await t.signUp('ada');
    const ticket = await newTicket(t);
    await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: phone.accessToken });
    const wait = () => t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } });
    assert.equal((await wait()).body.status, 'confirmed');
    expectProblem(await wait(), 409, 'TICKET_USED');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: phone.accessToken }), 409, 'TICKET_USED');
    expectProblem(await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: phone.accessToken }), 409, 'TICKET_USED');
  });

  it('expires after two minutes', async () => {
    await using t = await startTestHost();
    const phone = await t.signUp('ada');
    const ticket = await newTicket(t);
    t.clock.advance(2 * 60_000);
    expectProblem(await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: phone.accessToken }), 410, 'TICKET_EXPIRED');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: phone.accessToken }), 410, 'TICKET_EXPIRED');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } }), 410, 'TICKET_EXPIRED');
  });

  it('tells the waiting browser when the phone cancels', async () => {
    await using t = await startTestHost();
    const phone = await t.signUp('ada');
    const ticket = await newTicket(t);
    const waiting = t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: ticket.secret } });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/cancel`, { token: phone.accessToken })).status, 204);
    expectProblem(await waiting, 410, 'TICKET_CANCELLED');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: phone.accessToken }), 410, 'TICKET_CANCELLED');
  });

  it('only the holder of the secret collects the session; only the first scanner may decide', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const eve = await t.signUp('eve');
    const ticket = await newTicket(t);
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/wait`, { json: { secret: 'lts_guess' } }), 403, 'TICKET_SECRET_INVALID');
    assert.equal((await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: ada.accessToken })).status, 200);
    expectProblem(await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: eve.accessToken }), 409, 'TICKET_USED');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`, { token: eve.accessToken }), 409, 'TICKET_USED');
    expectProblem(await t.call('GET', '/v1/auth/login-tickets/lt_unknown0000000', { token: ada.accessToken }), 404, 'TICKET_NOT_FOUND');
    expectProblem(await t.call('POST', `/v1/auth/login-tickets/${ticket.ticketId}/confirm`), 401, 'UNAUTHENTICATED');
  });
});
