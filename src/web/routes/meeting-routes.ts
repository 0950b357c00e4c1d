import { Router, type Request, type Response } from 'express';
import type { Circle } from '../../domain/circles/circle.js';
import { NotFoundError } from '../../domain/errors.js';
import { MEETING_LIMITS, type MeetingInput, type UpcomingMeeting } from '../../domain/meetings/meeting.js';
import { zoneGroups } from '../../domain/time-zones.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import { meetingsCalendar } from '../icalendar.js';
import { meetingFormValues, meetingView } from '../../domain/meetings/meeting-words.js';
import type { RouteContext } from './route-context.js';
import { DEFAULT_LOCALE } from '../../i18n/locales.js';
import { msg } from '../../i18n/message.js';
import { localeOf, tr } from '../i18n.js';

const FIELDS = [
  'title',
  'description',
  'startDate',
  'startTime',
  'timeZone',
  'duration',
  'recurrence',
  'repeatUntil',
  'place',
  'link',
  'contact',
] as const satisfies ReadonlyArray<keyof MeetingInput>;

/** Circles' meetings: the list of all, each circle's list with its forms, each meeting's page, and calendar feeds. */
export function meetingRoutes({ services, publicUrl, form }: RouteContext): Router {
  const router = Router();
  const formContext = () => ({ limits: MEETING_LIMITS, zoneGroups: zoneGroups(new Date()) });
  /** The zone dates are shown in for this request (set for every page in create-web-app). */
  const viewerZone = (res: Response) => String(res.locals.viewerTimeZone);
  const zoneOf = (req: Request) => (req.res ? viewerZone(req.res) : 'UTC');
  const localeOfRequest = (req: Request) => (req.res ? localeOf(req.res) : DEFAULT_LOCALE);

  const meetingId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('together.meeting.not_here'));
    return id;
  };

  // The words in a calendar file (its name, "Who to contact") are in the language of whoever fetched it.
  const sendCalendar = (res: Response, name: string, filename: string, meetings: UpcomingMeeting[]) => {
    const body = meetingsCalendar({ name, host: publicUrl.host, origin: publicUrl.origin, meetings, locale: localeOf(res) });
    res.type('text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    res.send(body);
  };

  router.get(
    '/meetings',
    asyncHandler(async (req, res) => {
      const upcoming = await services.meetings.upcoming(req.user);
      res.render('meetings', { title: msg('together.meetings.title'), meetings: upcoming.map((u) => meetingView(u, 1, viewerZone(res), localeOf(res))) });
    }),
  );

  // The instance's feed: public circles only (calendar apps fetch it without logging in).
  router.get(
    '/meetings.ics',
    asyncHandler(async (_req, res) => {
      const instance = await services.instance.get();
      sendCalendar(res, tr(res, 'together.ics.instance', { name: instance?.name ?? 'Hearth' }), 'meetings.ics', await services.meetings.publicFeed());
    }),
  );

  router.get(
    '/c/:slug/meetings.ics',
    asyncHandler(async (req, res) => {
      const { circle, meetings } = await services.meetings.feedOf(req.params.slug!, req.user);
      sendCalendar(res, tr(res, 'together.ics.circle', { circle: circle.name }), `${circle.slug}-meetings.ics`, meetings);
    }),
  );

  const listView = async (req: Request, circle: Circle, zone: string) => {
    const upcoming = await services.meetings.upcomingIn(circle);
    return {
      title: msg('together.circle.title', { circle: circle.name }),
      circle,
      meetings: upcoming.map((u) => meetingView(u, 4, zone, localeOfRequest(req))),
      canManage: await services.meetings.canManage(req.user, circle),
      feed: circle.visibility === 'public' ? `${publicUrl.origin}/c/${circle.slug}/meetings.ics` : null,
      ...formContext(),
    };
  };

  router.get(
    '/c/:slug/meetings',
    asyncHandler(async (req, res) => {
      const circle = await services.circles.get(req.params.slug!, req.user);
      const view = await listView(req, circle, viewerZone(res));
      // A new meeting starts in the member's own zone; failing that, the zone of
      // the circle's other meetings, or the instance's.
      const zone = req.user?.timeZone ?? view.meetings[0]?.timeZone ?? viewerZone(res);
      res.render('circle-meetings', { ...view, values: { recurrence: 'none', timeZone: zone }, cancelled: req.query.cancelled === '1' });
    }),
  );

  router.post(
    '/c/:slug/meetings',
    requireLogin,
    form({
      fields: FIELDS,
      once: true,
      run: (f, req) => services.meetings.schedule(member(req), req.params.slug!, f),
      redirect: (meeting, req) => `/c/${req.params.slug!}/meetings/${meeting.id}`,
      form: {
        view: 'circle-meetings',
        page: async (req) => listView(req, await services.circles.get(req.params.slug!, req.user), zoneOf(req)),
      },
    }),
  );

  router.get(
    '/c/:slug/meetings/:id',
    asyncHandler(async (req, res) => {
      const found = await services.meetings.get(req.params.slug!, meetingId(req), req.user);
      res.render('meeting', {
        title: found.meeting.title,
        circle: found.circle,
        meeting: meetingView(found, 6, viewerZone(res), localeOf(res)),
        canManage: !found.meeting.cancelledAt && (await services.meetings.canManage(req.user, found.circle)),
      });
    }),
  );

  const editView = (circle: Circle, meeting: ReturnType<typeof meetingView>) => ({
    title: msg('together.edit.title', { title: meeting.title }),
    circle,
    meeting,
    ...formContext(),
  });

  router.get(
    '/c/:slug/meetings/:id/edit',
    requireLogin,
    asyncHandler(async (req, res) => {
      const { meeting, circle } = await services.meetings.forChanging(member(req), req.params.slug!, meetingId(req));
      res.render('meeting-edit', { ...editView(circle, meetingView({ meeting, circle, next: [] }, 4, undefined, localeOf(res))), values: meetingFormValues(meeting) });
    }),
  );

  router.post(
    '/c/:slug/meetings/:id/edit',
    requireLogin,
    form({
      fields: FIELDS,
      run: (f, req) => services.meetings.change(member(req), req.params.slug!, meetingId(req), f),
      redirect: (_changed, req) => `/c/${req.params.slug!}/meetings/${meetingId(req)}`,
      form: {
        view: 'meeting-edit',
        page: async (req) => {
          const { meeting, circle } = await services.meetings.forChanging(member(req), req.params.slug!, meetingId(req));
          return editView(circle, meetingView({ meeting, circle, next: [] }, 4, undefined, localeOfRequest(req)));
        },
      },
    }),
  );

  router.get(
    '/c/:slug/meetings/:id/cancel',
    requireLogin,
    asyncHandler(async (req, res) => {
      const { meeting, circle } = await services.meetings.forChanging(member(req), req.params.slug!, meetingId(req));
      res.render('meeting-cancel', { title: msg('together.cancel.title', { title: meeting.title }), circle, meeting: meetingView({ meeting, circle, next: [] }, 4, undefined, localeOf(res)) });
    }),
  );

  router.post(
    '/c/:slug/meetings/:id/cancel',
    requireLogin,
    form({
      fields: [],
      run: (_f, req) => services.meetings.cancel(member(req), req.params.slug!, meetingId(req)),
      redirect: (circle) => `/c/${circle.slug}/meetings?cancelled=1`,
    }),
  );
  return router;
}
