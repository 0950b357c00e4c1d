import type { RequestHandler } from 'express';

/** The places the main navigation links to. */
export type NavPlace =
  | 'circles'
  | 'waiting'
  | 'meetings'
  | 'search'
  | 'notifications'
  | 'conversations'
  | 'profile'
  | 'settings'
  | 'whatHelps'
  | 'followed'
  | 'checkIns'
  | 'moderation'
  | 'steward'
  | 'login'
  | 'join';

/** What `aria-current` says on a link: this very page, or the part of the site the page belongs to. */
export type Current = 'page' | 'true';

/**
 * Which navigation link the page at `path` belongs to, and whether it is that
 * very page: the one place the navigation's "you are here" is decided.
 */
export function currentPlace(path: string, viewerHandle: string | undefined): { place: NavPlace; current: Current } | undefined {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const exact = (href: string, place: NavPlace) => ({ place, current: (p === href ? 'page' : 'true') as Current });
  if (p === '/' || p.startsWith('/c/')) return exact('/', 'circles');
  if (p === '/waiting') return exact('/waiting', 'waiting');
  if (p === '/meetings' || p.startsWith('/meetings/')) return exact('/meetings', 'meetings');
  if (p === '/search') return exact('/search', 'search');
  if (p === '/notifications' || p.startsWith('/notifications/')) return exact('/notifications', 'notifications');
  if (p === '/conversations' || p.startsWith('/conversations/')) return exact('/conversations', 'conversations');
  if (viewerHandle && (p === `/u/${viewerHandle}` || p.startsWith(`/u/${viewerHandle}/`))) return exact(`/u/${viewerHandle}`, 'profile');
  if (p === '/settings/what-helps-me') return exact('/settings/what-helps-me', 'whatHelps');
  if (p.startsWith('/settings/')) return exact('/settings/profile', 'settings');
  if (p === '/circles/followed' || p.startsWith('/circles/followed/')) return exact('/circles/followed', 'followed');
  if (p === '/check-ins' || p.startsWith('/check-ins/')) return exact('/check-ins', 'checkIns');
  if (p === '/moderation' || p.startsWith('/moderation/')) return exact('/moderation', 'moderation');
  if (p === '/steward' || p.startsWith('/steward/')) return exact('/steward', 'steward');
  if (p === '/login' || p.startsWith('/login/')) return exact('/login', 'login');
  if (p === '/register') return exact('/register', 'join');
  return undefined;
}

/**
 * Sets `res.locals.nav`: `{ [place]: 'page' | 'true' }` for the link the
 * current page belongs to (the layout writes it as `aria-current`), and
 * `nav.inMenu` when that link is in the member's menu.
 */
export const navigation: RequestHandler = (req, res, next) => {
  const found = currentPlace(req.path, req.user?.handle);
  const menuPlaces: NavPlace[] = ['profile', 'settings', 'whatHelps', 'followed', 'checkIns', 'moderation', 'steward'];
  res.locals.nav = found ? { [found.place]: found.current, inMenu: menuPlaces.includes(found.place) } : {};
  next();
};
