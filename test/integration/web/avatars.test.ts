import { expect } from 'chai';
import sharp from 'sharp';
import type { Hearth } from '../../../src/app.js';
import { freshHearth, memberVisitor, openCircle, Visitor, withSteward } from '../../helpers/test-hearth.js';

/** A JPEG photo as a phone makes it: EXIF with a location and the camera, rotated by its orientation tag. */
async function phonePhoto(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PhoneMaker', Model: 'Pocket 9', Copyright: 'Wren' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } } })
    .toBuffer();
}

async function upload(visitor: Visitor, file: Buffer | undefined, filename = 'me.jpg', contentType = 'image/jpeg') {
  const token = await visitor.token('/settings/avatar');
  const req = visitor.agent.post('/settings/avatar').set('Accept', 'text/html').field('_csrf', token);
  return file ? req.attach('avatar', file, { filename, contentType }) : req;
}

describe("members' pictures", () => {
  let hearth: Hearth;
  let steward: Visitor;
  let wren: Visitor;
  beforeEach(async () => {
    hearth = await freshHearth();
    steward = await withSteward(hearth);
    wren = await memberVisitor(hearth, 'wren');
  });
  afterEach(() => hearth.close());

  it('takes a photo, keeps a small square without any of its metadata, and shows it next to posts, on the profile and to other servers', async () => {
    const saved = await upload(wren, await phonePhoto());
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal('/settings/avatar?saved=1');

    const page = (await wren.get(saved.headers.location!)).text;
    expect(page).to.contain('Your new picture is saved.');
    const src = /<img class="avatar avatar-large" src="([^"]+)"/.exec(page)![1]!.replace(/&#x3D;/g, '=');
    expect(src).to.match(/^\/avatars\/wren\?v=[0-9a-f]{12}$/);

    const image = await new Visitor(hearth).agent.get(src).buffer(true);
    expect(image.status).to.equal(200);
    expect(image.headers['content-type']).to.equal('image/webp');
    expect(image.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    const meta = await sharp(image.body as Buffer).metadata();
    expect(meta.format).to.equal('webp');
    expect([meta.width, meta.height]).to.deep.equal([256, 256]);
    expect(meta.exif, 'no EXIF (location, camera) is kept').to.equal(undefined);
    expect(meta.icc).to.equal(undefined);
    expect(meta.xmp).to.equal(undefined);
    expect((image.body as Buffer).includes(Buffer.from('PhoneMaker'))).to.equal(false);

    // Next to the member's posts, on their profile, and in their actor for other servers.
    await openCircle(steward, 'voices');
    const thread = await wren.submit('/c/voices/new', '/c/voices/new', { title: 'Hello', body: 'First post' });
    expect(thread.status, thread.text.slice(0, 3000)).to.equal(303);
    const threadPage = (await new Visitor(hearth).get(thread.headers.location!)).text;
    expect(threadPage).to.contain(`<img class="avatar avatar-24" src="${src.replace('=', '&#x3D;')}"`);
    // In the circle's thread list too, among the people who took part.
    expect((await new Visitor(hearth).get('/c/voices')).text).to.contain(`src="${src.replace('=', '&#x3D;')}"`);
    expect((await new Visitor(hearth).get('/u/wren')).text).to.contain(`<img class="avatar avatar-96" src="${src.replace('=', '&#x3D;')}"`);
    const actor = await new Visitor(hearth).agent.get('/u/wren').set('Accept', 'application/activity+json');
    const icon = (actor.body as { icon?: { type: string; mediaType: string; url: string } }).icon;
    expect(icon).to.include({ type: 'Image', mediaType: 'image/webp' });
    expect(new URL(icon!.url).pathname + new URL(icon!.url).search).to.equal(src);
  });

  it('refuses what is not a picture, an SVG, and a file over the limit, with a clear message and nothing stored', async () => {
    const notAPicture = await upload(wren, Buffer.from('%PDF-1.4 definitely a document'), 'me.jpg', 'image/jpeg');
    expect(notAPicture.status).to.equal(400);
    expect(notAPicture.text).to.contain('Hearth can’t use this file as a picture');
    expect(notAPicture.text).to.contain('id="avatar-error"');

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="https://tracker.example/p.png"/></svg>');
    const svgRefused = await upload(wren, svg, 'me.svg', 'image/svg+xml');
    expect(svgRefused.status).to.equal(400);
    expect(svgRefused.text).to.contain('JPEG, PNG, WebP or GIF');

    const big = Buffer.concat([await phonePhoto(), Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(wren, big);
    expect(tooBig.status).to.equal(400);
    expect(tooBig.text).to.contain('larger than 5 MB');

    const nothing = await upload(wren, undefined);
    expect(nothing.status).to.equal(400);
    expect(nothing.text).to.contain('Choose a picture first.');

    expect((await hearth.services.members.getByHandle('wren')).avatarVersion).to.equal(null);
    expect((await new Visitor(hearth).agent.get('/avatars/wren')).status).to.equal(404);
  });

  it('needs the form token, and lets the member remove the picture (initials again)', async () => {
    const forged = await wren.agent.post('/settings/avatar').set('Accept', 'text/html').attach('avatar', await phonePhoto(), 'me.jpg');
    expect(forged.status).to.equal(403);
    expect((await hearth.services.members.getByHandle('wren')).avatarVersion).to.equal(null);

    expect((await upload(wren, await phonePhoto(64, 64))).status).to.equal(303);
    const version = (await hearth.services.members.getByHandle('wren')).avatarVersion;
    expect(version).to.be.a('string');
    const removed = await wren.submit('/settings/avatar', '/settings/avatar/remove', {});
    expect(removed.status).to.equal(303);
    expect((await wren.get(removed.headers.location!)).text).to.contain('Your picture is removed.');
    expect((await hearth.services.members.getByHandle('wren')).avatarVersion).to.equal(null);
    expect((await new Visitor(hearth).agent.get(`/avatars/wren?v=${version}`)).status).to.equal(404);
  });
});
