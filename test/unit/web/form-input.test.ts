import { expect } from 'chai';
import type { Request } from 'express';
import { ValidationError } from '../../../src/domain/errors.js';
import { formFields, typedValues } from '../../../src/web/form-input.js';
import { idParam } from '../../../src/http/params.js';
import { safeNextPath } from '../../../src/web/guards.js';
import { viewHelpers } from '../../../src/web/view-helpers.js';

const req = (body: unknown) => ({ body }) as Request;

describe('form input', () => {
  it('reads named text fields, empty when missing', () => {
    expect(formFields(req({ title: 'Hi', extra: 'x' }), ['title', 'body'] as const)).to.deep.equal({ title: 'Hi', body: '' });
  });

  it('refuses fields sent twice or as objects', () => {
    expect(() => formFields(req({ title: ['a', 'b'] }), ['title'] as const)).to.throw(ValidationError);
    expect(() => formFields(req({ title: { $ne: 1 } }), ['title'] as const)).to.throw(ValidationError);
  });

  it('gives typed text back without passwords or tokens', () => {
    expect(typedValues(req({ handle: 'a', password: 'secret', _csrf: 't', n: ['x'] }))).to.deep.equal({ handle: 'a' });
  });

  it('accepts only plain positive ids', () => {
    expect(idParam('12')).to.equal(12);
    for (const bad of ['0', '-1', '1e3', '012', 'abc', '99999999999', undefined]) expect(idParam(bad), String(bad)).to.equal(undefined);
  });

  it('only redirects to paths on this site', () => {
    expect(safeNextPath('/c/voices')).to.equal('/c/voices');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 42, undefined]) {
      expect(safeNextPath(bad), String(bad)).to.equal('/');
    }
  });
});

describe('view helpers', () => {
  it('writes dates as <time> with an ISO datetime', () => {
    const html = viewHelpers.dateTime(new Date('2026-11-22T10:05:00Z')).toString();
    expect(html).to.equal('<time datetime="2026-11-22T10:05:00.000Z">22 Nov 2026, 10:05 UTC</time>');
  });

  it('writes dates in the viewer’s zone, taken from the page (res.locals.viewerTimeZone)', () => {
    const page = (viewerTimeZone: string) => ({ data: { root: { viewerTimeZone } } }) as unknown as Parameters<typeof viewHelpers.dateTime>[1];
    const at = new Date('2026-11-22T10:05:00Z');
    expect(viewHelpers.dateTime(at, page('Europe/Berlin')).toString()).to.equal('<time datetime="2026-11-22T10:05:00.000Z">22 Nov 2026, 11:05 CET</time>');
    expect(viewHelpers.dateTime(at, page('America/New_York')).toString()).to.equal('<time datetime="2026-11-22T10:05:00.000Z">22 Nov 2026, 05:05 EST</time>');
  });

  it('counts in each language’s plurals, with its own digits', () => {
    const page = (locale: string) => ({ hash: { count: 0 }, data: { root: { locale } } }) as unknown as Parameters<typeof viewHelpers.t>[1];
    const count = (locale: string, n: number) => {
      const options = page(locale);
      options.hash.count = n;
      return String(viewHelpers.t('staying.notifications.unread', options));
    };
    expect(count('en', 1)).to.equal('1 unread notification');
    expect(count('en', 3)).to.equal('3 unread notifications');
    expect(count('de', 1)).to.equal('1 ungelesene Benachrichtigung');
    expect(count('es', 1200)).to.equal('1200 notificaciones sin leer');
    expect(count('de', 1200)).to.equal('1.200 ungelesene Benachrichtigungen');
  });

  it('names people by display name, else handle, else as a former member', () => {
    expect(viewHelpers.displayName({ handle: 'a', displayName: 'Ash' })).to.equal('Ash');
    expect(viewHelpers.displayName({ handle: 'a', displayName: ' ' })).to.equal('a');
    expect(viewHelpers.displayName(null)).to.equal('A former member');
  });
});
