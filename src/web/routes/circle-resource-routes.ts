import { msg } from '../../i18n/message.js';
import { Router, type Request } from 'express';
import { CIRCLE_RESOURCE_LIMITS } from '../../domain/circle-resources/circle-resource.js';
import { NotFoundError } from '../../domain/errors.js';
import { asyncHandler } from '../../http/async-handler.js';
import { idParam } from '../../http/params.js';
import { member, requireLogin } from '../guards.js';
import type { RouteContext } from './route-context.js';

const FIELDS = ['title', 'link', 'description'] as const;

/** Keeping a circle's pinned resources: add, change, reorder, remove (its keepers only). */
export function circleResourceRoutes({ services, form }: RouteContext): Router {
  const router = Router();
  router.use('/c/:slug/resources', requireLogin);

  const resourceId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError(msg('staying.resources.gone'));
    return id;
  };
  const listView = async (req: Request) => {
    const { circle, resources } = await services.circleResources.forKeeping(member(req), req.params.slug!);
    return { title: msg('staying.resources.title', { circle: circle.name }), circle, resources, limits: CIRCLE_RESOURCE_LIMITS };
  };

  router.get(
    '/c/:slug/resources',
    asyncHandler(async (req, res) => {
      res.render('circle-resources', { ...(await listView(req)), values: {} });
    }),
  );

  router.post(
    '/c/:slug/resources',
    form({
      fields: FIELDS,
      once: true,
      run: (f, req) => services.circleResources.add(member(req), req.params.slug!, f),
      redirect: (_r, req) => `/c/${req.params.slug!}/resources`,
      form: { view: 'circle-resources', page: listView },
    }),
  );

  router.get(
    '/c/:slug/resources/:id',
    asyncHandler(async (req, res) => {
      const { circle, resource } = await services.circleResources.get(member(req), req.params.slug!, resourceId(req));
      res.render('circle-resource-edit', {
        title: msg('staying.resources.change', { title: resource.title }),
        circle,
        resource,
        values: { ...resource, link: resource.link ?? '' },
        limits: CIRCLE_RESOURCE_LIMITS,
      });
    }),
  );

  const editPage = async (req: Request) => {
    const { circle, resource } = await services.circleResources.get(member(req), req.params.slug!, resourceId(req));
    return { title: msg('staying.resources.change', { title: resource.title }), circle, resource, limits: CIRCLE_RESOURCE_LIMITS };
  };

  router.post(
    '/c/:slug/resources/:id',
    form({
      fields: FIELDS,
      run: (f, req) => services.circleResources.update(member(req), req.params.slug!, resourceId(req), f),
      redirect: (_r, req) => `/c/${req.params.slug!}/resources`,
      form: { view: 'circle-resource-edit', page: editPage },
    }),
  );

  router.post(
    '/c/:slug/resources/:id/move',
    form({
      fields: ['direction'],
      run: (f, req) => services.circleResources.move(member(req), req.params.slug!, resourceId(req), f.direction),
      redirect: (_r, req) => `/c/${req.params.slug!}/resources#resource-${resourceId(req)}`,
    }),
  );

  router.post(
    '/c/:slug/resources/:id/delete',
    form({
      fields: [],
      run: (_f, req) => services.circleResources.remove(member(req), req.params.slug!, resourceId(req)),
      redirect: (_r, req) => `/c/${req.params.slug!}/resources`,
    }),
  );
  return router;
}
