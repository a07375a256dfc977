import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { defaultMessagingConfig } from '../../../host/src/config.ts';
import { expectProblem, startTestHost, type TestHost, type TestResponse, type TestSession } from '../../helpers/host.ts';
import { befriend, direct, ok, syncAll } from './helpers.ts';

/** Uploads raw bytes as an image. */
async function upload(t: TestHost, who: TestSession, conversationId: string, bytes: Buffer, contentType = 'image/jpeg'): Promise<TestResponse> {
  const res = await t.host.request(`/v1/conversations/${conversationId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
}

/** A 1200×800 photo taken sideways (EXIF orientation 6: shown rotated 90°) with a GPS position in its metadata. */
async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .withMetadata({ orientation: 6, exif: { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '41/1 53/1 0/1' } } })
    .jpeg()
    .toBuffer();
}

describe('messaging: images', () => {
  it('stores an upload re-encoded without metadata, with dimensions and a thumbnail, and sends it in a message members can fetch', async () => {
    await using t = await startTestHost();
    const [ada, bob, eve] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('eve')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    const original = await photo();
    assert.ok((await sharp(original).metadata()).exif, 'the test photo carries EXIF');
    const image = ok(await upload(t, ada, id, original), 201);
    assert.deepEqual([image.contentType, image.width, image.height], ['image/jpeg', 800, 1200], 'orientation applied');
    assert.deepEqual([image.thumbWidth, image.thumbHeight], [213, 320]);
    const sent = ok(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: { clientId: randomUUID(), imageId: image.id, text: 'the view' } }), 201).message;
    assert.deepEqual([sent.kind, sent.text, sent.image], ['image', 'the view', image]);
    const bobs = (await syncAll(t, bob)).updates.find((u) => u.message?.id === sent.id);
    assert.deepEqual(bobs.message.image, image);

    const fetched = await t.host.request(`/v1/conversations/${id}/images/${image.id}`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'image/jpeg');
    assert.equal(fetched.headers.get('x-content-type-options'), 'nosniff');
    const stored = Buffer.from(await fetched.arrayBuffer());
    const meta = await sharp(stored).metadata();
    assert.deepEqual([meta.width, meta.height, meta.exif, meta.orientation], [800, 1200, undefined, undefined], 'no EXIF, no GPS, upright');
    const thumb = await t.host.request(`/v1/conversations/${id}/images/${image.id}?variant=thumbnail`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    assert.equal(thumb.headers.get('content-type'), 'image/webp');
    assert.equal((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width, 213);

    expectProblem(await t.call('GET', `/v1/conversations/${id}/images/${image.id}`, { token: eve.accessToken }), 404, 'CONVERSATION_NOT_FOUND');
    const unsent = ok(await upload(t, ada, id, original), 201);
    expectProblem(await t.call('GET', `/v1/conversations/${id}/images/${unsent.id}`, { token: bob.accessToken }), 404, 'IMAGE_NOT_FOUND');
    assert.equal((await t.host.request(`/v1/conversations/${id}/images/${unsent.id}`, { headers: { authorization: `Bearer ${ada.accessToken}` } })).status, 200, 'the uploader sees it before sending');
    expectProblem(await upload(t, eve, id, original), 404, 'CONVERSATION_NOT_FOUND');
    expectProblem(await t.call('POST', `/v1/conversations/${id}/messages`, { token: bob.accessToken, json: { clientId: randomUUID(), imageId: image.id } }), 404, 'IMAGE_NOT_FOUND');
    expectProblem(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: { clientId: randomUUID() } }), 400, 'VALIDATION_FAILED');
    const recalled = ok(await t.call('POST', `/v1/conversations/${id}/messages/${sent.id}/recall`, { token: ada.accessToken })).message;
    assert.equal(recalled.image, null);
  });

  it('checks type by content, and size in bytes and pixels, with clear errors', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ maxImageBytes: 200_000, maxImagePixels: 1_000_000 }) });
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    expectProblem(await upload(t, ada, id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png'), 415, 'IMAGE_UNSUPPORTED');
    expectProblem(await upload(t, ada, id, Buffer.from('GIF89a not really')), 415, 'IMAGE_UNSUPPORTED');
    const huge = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#000' } }).png().toBuffer();
    const pixels = expectProblem(await upload(t, ada, id, huge, 'image/png'), 413, 'IMAGE_TOO_LARGE');
    assert.match(pixels.detail, /pixels/);
    const noisy = await sharp(randomBytes(600 * 600 * 3), { raw: { width: 600, height: 600, channels: 3 } }).png().toBuffer();
    assert.ok(noisy.length > 200_000);
    const bytes = expectProblem(await upload(t, ada, id, noisy, 'image/png'), 413, 'IMAGE_TOO_LARGE');
    assert.match(bytes.detail, /limited to 195 KiB/);
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: '#0f08' } }).png().toBuffer();
    const ok201 = ok(await upload(t, ada, id, png, 'image/jpeg'), 201);
    assert.deepEqual([ok201.contentType, ok201.width, ok201.height], ['image/png', 64, 48], 'the declared type is ignored; the content decides');
  });
});
