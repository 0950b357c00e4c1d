import { expect } from 'chai';
import type { Visitor } from './test-hearth.js';

/**
 * Reading Hearth in another language over HTTP, as a browser asking for it
 * does: the languages tests (web and moderation) share these.
 */

/** A page as a browser asking for `language` (an `Accept-Language` value) reads it. */
export function readIn(v: Visitor, path: string, language: string) {
  return v.get(path).set('Accept-Language', language);
}

/** The page's HTML in `language`, after checking it was shown (200). */
export async function pageIn(v: Visitor, path: string, language: string): Promise<string> {
  const res = await readIn(v, path, language);
  expect(res.status, res.text).to.equal(200);
  return res.text;
}

const CSRF = /name="_csrf" value="([^"]+)"/;

/** Opens the form on `pagePath` and sends it to `action`, both in `language`. */
export async function sendIn(v: Visitor, pagePath: string, action: string, fields: Record<string, string>, language: string) {
  const page = await readIn(v, pagePath, language);
  const token = CSRF.exec(page.text)?.[1];
  if (!token) throw new Error(`No form token on ${pagePath} (status ${page.status})`);
  return v.agent.post(action).type('form').set('Accept', 'text/html').set('Accept-Language', language).send({ ...fields, _csrf: token });
}

/**
 * The page speaks its language through: it says it is in `lang` (when given),
 * shows no message as an object, and none of `english` (the page's own
 * English sentences) is left. `where` names the page in a failure.
 */
export function expectNoEnglish(html: string, english: readonly string[], options: { lang?: string; where?: string } = {}): void {
  const { lang, where } = options;
  if (lang) expect(html, where).to.contain(`<html lang="${lang}"`);
  expect(html, where).not.to.contain('[object Object]');
  for (const sentence of english) expect(html, where ? `${where}: “${sentence}”` : sentence).not.to.contain(sentence);
}
