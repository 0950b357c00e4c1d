import { createHash, createSign, createVerify } from 'node:crypto';

/**
 * HTTP Signatures as the fediverse uses them (draft-cavage, as Mastodon does):
 * outgoing requests are signed with rsa-sha256 over
 * `(request-target) host date digest`; incoming ones must cover the same
 * headers, carry a Digest that matches the body and a Date inside the window.
 * `hs2019` is read as rsa-sha256, as Mastodon does.
 */
export const SIGNED_HEADERS = ['(request-target)', 'host', 'date', 'digest'] as const;
/** How far a request's Date may be from our clock. */
export const DATE_WINDOW_MS = 60 * 60 * 1000;

export function digestOf(body: string | Buffer): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

export interface ParsedSignature {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: string;
}

/** Reads `keyId="…",algorithm="…",headers="…",signature="…"`; undefined when malformed. */
export function parseSignatureHeader(value: string): ParsedSignature | undefined {
  const params = new Map<string, string>();
  const pattern = /\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(value)) !== null) {
    if (params.has(match[1]!)) return undefined;
    params.set(match[1]!, match[2]!);
    consumed = pattern.lastIndex;
  }
  if (consumed !== value.length) return undefined;
  const keyId = params.get('keyId');
  const signature = params.get('signature');
  if (!keyId || !signature) return undefined;
  return {
    keyId,
    signature,
    algorithm: (params.get('algorithm') ?? 'hs2019').toLowerCase(),
    headers: (params.get('headers') ?? 'date').toLowerCase().split(/\s+/).filter(Boolean),
  };
}

export interface RequestParts {
  method: string;
  /** Path and query, as sent: /inbox?x=1 */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

function headerValue(headers: RequestParts['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function signingString(parts: RequestParts, names: readonly string[]): string | undefined {
  const lines: string[] = [];
  for (const name of names) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${parts.method.toLowerCase()} ${parts.path}`);
      continue;
    }
    const value = headerValue(parts.headers, name);
    if (value === undefined) return undefined;
    lines.push(`${name}: ${value.trim()}`);
  }
  return lines.join('\n');
}

export type SignatureProblem =
  | 'missing_signature'
  | 'malformed_signature'
  | 'unsupported_algorithm'
  | 'headers_not_signed'
  | 'missing_date'
  | 'date_out_of_window'
  | 'missing_digest'
  | 'digest_mismatch'
  | 'bad_signature';

/** The signature of a request, with what it claims, before the key is known. */
export function readSignature(parts: RequestParts): ParsedSignature | SignatureProblem {
  const raw = headerValue(parts.headers, 'signature');
  if (!raw) return 'missing_signature';
  const parsed = parseSignatureHeader(raw);
  if (!parsed) return 'malformed_signature';
  if (parsed.algorithm !== 'rsa-sha256' && parsed.algorithm !== 'hs2019') return 'unsupported_algorithm';
  const needed = parts.method.toUpperCase() === 'GET' ? ['(request-target)', 'host', 'date'] : SIGNED_HEADERS;
  if (!needed.every((h) => parsed.headers.includes(h))) return 'headers_not_signed';
  let keyUrl: URL;
  try {
    keyUrl = new URL(parsed.keyId);
  } catch (error) {
    if (error instanceof TypeError) return 'malformed_signature';
    throw error;
  }
  if (keyUrl.protocol !== 'https:' && keyUrl.protocol !== 'http:') return 'malformed_signature';
  return parsed;
}

/**
 * What can be checked without the signer's key: the Date window and the
 * Digest against the raw body. Run before any key is fetched, so a request
 * that fails here costs Hearth no outbound request.
 */
export function checkDateAndDigest(parts: RequestParts, body: Buffer | undefined, now: Date): SignatureProblem | undefined {
  const date = headerValue(parts.headers, 'date');
  if (!date) return 'missing_date';
  const when = Date.parse(date);
  if (Number.isNaN(when) || Math.abs(now.getTime() - when) > DATE_WINDOW_MS) return 'date_out_of_window';
  if (body !== undefined) {
    const digest = headerValue(parts.headers, 'digest');
    if (!digest) return 'missing_digest';
    const sha = digest.split(',').map((d) => d.trim()).find((d) => /^sha-256=/i.test(d));
    if (!sha || sha.slice(8) !== digestOf(body).slice(8)) return 'digest_mismatch';
  }
  return undefined;
}

/** Checks Date, Digest (against the raw body) and the signature with the signer's public key. */
export function verifySignature(
  parts: RequestParts,
  body: Buffer | undefined,
  parsed: ParsedSignature,
  publicKeyPem: string,
  now: Date,
): SignatureProblem | undefined {
  const local = checkDateAndDigest(parts, body, now);
  if (local) return local;
  const text = signingString(parts, parsed.headers);
  if (text === undefined) return 'headers_not_signed';
  try {
    const ok = createVerify('RSA-SHA256').update(text).verify(publicKeyPem, parsed.signature, 'base64');
    return ok ? undefined : 'bad_signature';
  } catch (error) {
    // A key or signature node:crypto cannot read: it verifies nothing.
    if (error instanceof Error) return 'bad_signature';
    throw error;
  }
}

/** Headers that sign an outgoing request (Date, Digest for bodies, Signature). */
export function signRequest(o: {
  method: string;
  url: URL;
  body?: string;
  keyId: string;
  privateKeyPem: string;
  now?: Date;
}): Record<string, string> {
  const headers: Record<string, string> = {
    host: o.url.host,
    date: (o.now ?? new Date()).toUTCString(),
  };
  const names: string[] = ['(request-target)', 'host', 'date'];
  if (o.body !== undefined) {
    headers.digest = digestOf(o.body);
    names.push('digest');
  }
  const text = signingString({ method: o.method, path: `${o.url.pathname}${o.url.search}`, headers }, names)!;
  const signature = createSign('RSA-SHA256').update(text).sign(o.privateKeyPem, 'base64');
  headers.signature = `keyId="${o.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
  return headers;
}
