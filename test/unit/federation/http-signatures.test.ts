import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import {
  digestOf,
  parseSignatureHeader,
  readSignature,
  signRequest,
  verifySignature,
  type ParsedSignature,
  type RequestParts,
} from '../../../src/federation/http-signatures.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const NOW = new Date('2026-11-22T12:00:00Z');
const BODY = JSON.stringify({ type: 'Follow', actor: 'https://m.example/users/a' });

function signed(overrides: { body?: string; now?: Date } = {}): { parts: RequestParts; body: Buffer } {
  const url = new URL('https://hearth.example/c/voices/inbox');
  const body = overrides.body ?? BODY;
  const headers = signRequest({ method: 'POST', url, body, keyId: 'https://m.example/users/a#main-key', privateKeyPem: keys.privateKey, now: overrides.now ?? NOW });
  return { parts: { method: 'POST', path: '/c/voices/inbox', headers: { ...headers, 'content-type': 'application/activity+json' } }, body: Buffer.from(body) };
}

function check(parts: RequestParts, body: Buffer, pem = keys.publicKey, now = NOW) {
  const parsed = readSignature(parts);
  if (typeof parsed === 'string') return parsed;
  return verifySignature(parts, body, parsed, pem, now);
}

describe('HTTP signatures', () => {
  it('verifies what it signs', () => {
    const { parts, body } = signed();
    expect(check(parts, body)).to.equal(undefined);
    expect(parts.headers.signature).to.contain('headers="(request-target) host date digest"');
    expect(parts.headers.signature).to.contain('algorithm="rsa-sha256"');
  });

  it('accepts hs2019 as rsa-sha256, as Mastodon sends it', () => {
    const { parts, body } = signed();
    parts.headers.signature = String(parts.headers.signature).replace('rsa-sha256', 'hs2019');
    expect(check(parts, body)).to.equal(undefined);
  });

  it('refuses a body that does not match its Digest', () => {
    const { parts } = signed();
    expect(check(parts, Buffer.from(BODY.replace('Follow', 'Delete')))).to.equal('digest_mismatch');
  });

  it('refuses a changed Digest header (the signature covers it)', () => {
    const tampered = JSON.stringify({ type: 'Delete' });
    const { parts } = signed();
    parts.headers.digest = digestOf(tampered);
    expect(check(parts, Buffer.from(tampered))).to.equal('bad_signature');
  });

  it('refuses old and future dates (replays)', () => {
    const old = signed({ now: new Date(NOW.getTime() - 2 * 3600_000) });
    expect(check(old.parts, old.body)).to.equal('date_out_of_window');
    const future = signed({ now: new Date(NOW.getTime() + 2 * 3600_000) });
    expect(check(future.parts, future.body)).to.equal('date_out_of_window');
  });

  it('refuses a signature by another key', () => {
    const { parts, body } = signed();
    expect(check(parts, body, other.publicKey)).to.equal('bad_signature');
  });

  it('refuses requests that are unsigned, malformed, or sign too little', () => {
    const { parts, body } = signed();
    expect(check({ ...parts, headers: { ...parts.headers, signature: undefined } }, body)).to.equal('missing_signature');
    expect(check({ ...parts, headers: { ...parts.headers, signature: 'nonsense' } }, body)).to.equal('malformed_signature');
    const fewer = String(parts.headers.signature).replace('headers="(request-target) host date digest"', 'headers="date"');
    expect(check({ ...parts, headers: { ...parts.headers, signature: fewer } }, body)).to.equal('headers_not_signed');
    const hmac = String(parts.headers.signature).replace('rsa-sha256', 'hmac-sha256');
    expect(check({ ...parts, headers: { ...parts.headers, signature: hmac } }, body)).to.equal('unsupported_algorithm');
  });

  it('refuses a request sent to another path than the one signed', () => {
    const { parts, body } = signed();
    expect(check({ ...parts, path: '/u/alice/inbox' }, body)).to.equal('bad_signature');
  });

  it('parses signature headers strictly', () => {
    const p = parseSignatureHeader('keyId="k",algorithm="RSA-SHA256",headers="(request-target) Host date",signature="c2ln"') as ParsedSignature;
    expect(p).to.deep.equal({ keyId: 'k', algorithm: 'rsa-sha256', headers: ['(request-target)', 'host', 'date'], signature: 'c2ln' });
    expect(parseSignatureHeader('keyId="k",keyId="j",signature="x"')).to.equal(undefined);
    expect(parseSignatureHeader('keyId=k,signature="x"')).to.equal(undefined);
    expect(parseSignatureHeader('signature="x"')).to.equal(undefined);
  });
});
