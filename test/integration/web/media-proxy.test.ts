import { expect } from 'chai';
import type http from 'node:http';
import supertest from 'supertest';
import type { Hearth } from '../../../src/app.js';
import { proxiedImageUrl } from '../../../src/web/media-proxy.js';
import { serveOnLoopback } from '../../helpers/loopback-server.js';
import { freshHearth, memberVisitor, openCircle, startThread, Visitor, withSteward } from '../../helpers/test-hearth.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

/** An image host on loopback: a small PNG, a huge one, an HTML page, an SVG; it records what it was sent. */
async function imageHost() {
  const seen: http.IncomingHttpHeaders[] = [];
  const host = await serveOnLoopback((req, res) => {
    seen.push(req.headers);
    if (req.url === '/cat.png') return res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
    if (req.url === '/huge.png') return res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]));
    if (req.url === '/page.png') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>');
    if (req.url === '/draw.svg') return res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>');
    res.writeHead(404).end();
  });
  return { ...host, seen };
}

const secretOf = async (hearth: Hearth) => (await hearth.db.query<{ value: string }>("SELECT value FROM instance_secrets WHERE name = 'media-proxy'"))[0]!.value;

describe('no tracking through images (issue 14)', () => {
  let hearth: Hearth;
  let host: Awaited<ReturnType<typeof imageHost>>;
  afterEach(async () => {
    await hearth.close();
    await host?.stop();
  });

  it('allows images only from Hearth itself (and data:) in its Content-Security-Policy', async () => {
    hearth = await freshHearth();
    const res = await supertest(hearth.app).get('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.contain("img-src 'self' data:");
    expect(csp).not.to.match(/img-src[^;]*https:/);
  });

  it('serves the remote images of posts through the proxy, never straight from the other host', async () => {
    hearth = await freshHearth({ env: { FEDERATION_ALLOW_HTTP: '1', FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1' } });
    host = await imageHost();
    const steward = await withSteward(hearth);
    await openCircle(steward, 'voices');
    const alice = await memberVisitor(hearth, 'alice');
    // Posts take https images only; the rewritten address is checked, then the proxy fetches from the loopback host.
    const path = await startThread(alice, 'voices', { title: 'A picture', body: 'My cat: ![a cat](https://images.example/cat.png?size=big&x=1)' });
    const secret = await secretOf(hearth);
    for (const reader of [alice, new Visitor(hearth)]) {
      const page = await reader.get(path);
      expect(page.text).not.to.contain('src="https://images.example');
      const src = /<img[^>]*src="(\/media\/proxy\?[^"]+)"/.exec(page.text)?.[1];
      expect(src, page.text).to.equal(proxiedImageUrl(secret, 'https://images.example/cat.png?size=big&x=1').replace(/&/g, '&amp;'));
    }
    for (let i = 0; i < 2; i += 1) {
      const image = await supertest(hearth.app).get(proxiedImageUrl(secret, `${host.origin}/cat.png`)).set('Cookie', 'hearth.sid=abc');
      expect(image.status).to.equal(200);
      expect(image.headers['content-type']).to.equal('image/png');
      expect(Buffer.compare(image.body as Buffer, PNG)).to.equal(0);
    }
    // Fetched once (then cached), with no cookie and no referrer.
    expect(host.seen).to.have.length(1);
    expect(host.seen[0]!.cookie).to.equal(undefined);
    expect(host.seen[0]!.referer).to.equal(undefined);
  });

  it('refuses URLs it did not sign, oversized files and things that are not images', async () => {
    hearth = await freshHearth({ env: { FEDERATION_ALLOW_HTTP: '1', FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1' } });
    host = await imageHost();
    await withSteward(hearth);
    const secret = await secretOf(hearth);
    const get = (url: string) => supertest(hearth.app).get(proxiedImageUrl(secret, url));
    expect((await supertest(hearth.app).get(`/media/proxy?url=${encodeURIComponent(`${host.origin}/cat.png`)}&sig=forged`)).status).to.equal(404);
    expect((await supertest(hearth.app).get(`/media/proxy?url=${encodeURIComponent(`${host.origin}/cat.png`)}`)).status).to.equal(404);
    expect((await get(`${host.origin}/huge.png`)).status).to.equal(413);
    expect((await get(`${host.origin}/page.png`)).status).to.equal(415);
    expect((await get(`${host.origin}/draw.svg`)).status).to.equal(415);
    expect((await get(`${host.origin}/cat.png`)).status).to.equal(200);
  });

  it('refuses private addresses, like every other fetch from Hearth', async () => {
    hearth = await freshHearth({ env: { FEDERATION_ALLOW_HTTP: '1' } });
    host = await imageHost();
    await withSteward(hearth);
    const secret = await secretOf(hearth);
    for (const url of [`${host.origin}/cat.png`, 'http://localhost:9/cat.png', 'http://10.0.0.1/cat.png', 'http://[::1]/cat.png', 'http://169.254.169.254/latest']) {
      const res = await supertest(hearth.app).get(proxiedImageUrl(secret, url));
      expect(res.status, url).to.equal(403);
    }
    expect(host.seen).to.have.length(0);
  });
});
