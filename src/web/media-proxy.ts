import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseUrl } from '../domain/urls.js';

export const MEDIA_PROXY_PATH = '/media/proxy';

/** The HMAC that makes a proxy URL Hearth's own (so the proxy is not open to any URL). */
export function mediaSignature(secret: string, url: string): string {
  return createHmac('sha256', secret).update(url).digest('base64url');
}

export function verifyMediaSignature(secret: string, url: string, signature: string): boolean {
  const expected = Buffer.from(mediaSignature(secret, url));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The address of an image on another host, served through Hearth. */
export function proxiedImageUrl(secret: string, url: string): string {
  return `${MEDIA_PROXY_PATH}?url=${encodeURIComponent(url)}&sig=${mediaSignature(secret, url)}`;
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Rewrites every `<img src>` of a rendered page that points at another host
 * to Hearth's media proxy, and drops `srcset`, so a reader's browser never
 * loads an image from a third party. Relative and `data:` images stay.
 */
export function proxyPageImages(html: string, secret: string, ownOrigin: string): string {
  if (!html.includes('<img')) return html;
  return html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag
      .replace(/\s+srcset\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
      .replace(/(\ssrc\s*=\s*)"([^"]*)"/i, (whole, lead: string, raw: string) => {
        const value = decodeAttribute(raw).trim();
        const absolute = value.startsWith('//') ? `https:${value}` : value;
        const url = parseUrl(absolute);
        if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin === ownOrigin) return whole;
        return `${lead}"${encodeAttribute(proxiedImageUrl(secret, url.href))}"`;
      }),
  );
}
