import { Router, type Request } from 'express';
import { CIRCLE_RESOURCE_LIMITS } from '../../domain/circle-resources/circle-resource.js';
import { NotFoundError } from '../../domain/errors.js';
import { asyncHandler } from '../async-handler.js';
import { formFields, idParam } from '../form-input.js';
import { member, requireLogin } from '../guards.js';
import { formProblem, rerenderForm } from '../render-form.js';
import type { RouteContext } from './route-context.js';

const FIELDS = ['title', 'link', 'description'] as const;

/** Keeping a circle's pinned resources: add, change, reorder, remove (its keepers only). */
export function circleResourceRoutes({ services }: RouteContext): Router {
  const router = Router();
  router.use('/c/:slug/resources', requireLogin);

  const resourceId = (req: Request) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFoundError('That resource is not pinned here any more.');
    return id;
  };
  const listView = async (req: Request) => {
    const { circle, resources } = await services.circleResources.forKeeping(member(req), req.params.slug!);
    return { title: `What ${circle.name} shares`, circle, resources, limits: CIRCLE_RESOURCE_LIMITS };
  };

  router.get(
    '/c/:slug/resources',
    asyncHandler(async (req, res) => {
      res.render('circle-resources', { ...(await listView(req)), values: {} });
    }),
  );

  router.post(
    '/c/:slug/resources',
    asyncHandler(async (req, res) => {
      const view = await listView(req);
      try {
        await services.circleResources.add(member(req), view.circle.slug, formFields(req, FIELDS));
        res.redirect(303, `/c/${view.circle.slug}/resources`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'circle-resources', problem, view);
      }
    }),
  );

  router.get(
    '/c/:slug/resources/:id',
    asyncHandler(async (req, res) => {
      const { circle, resource } = await services.circleResources.get(member(req), req.params.slug!, resourceId(req));
      res.render('circle-resource-edit', {
        title: `Change ${resource.title}`,
        circle,
        resource,
        values: { ...resource, link: resource.link ?? '' },
        limits: CIRCLE_RESOURCE_LIMITS,
      });
    }),
  );

  router.post(
    '/c/:slug/resources/:id',
    asyncHandler(async (req, res) => {
      const id = resourceId(req);
      const { circle, resource } = await services.circleResources.get(member(req), req.params.slug!, id);
      try {
        await services.circleResources.update(member(req), circle.slug, id, formFields(req, FIELDS));
        res.redirect(303, `/c/${circle.slug}/resources`);
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        rerenderForm(req, res, 'circle-resource-edit', problem, { title: `Change ${resource.title}`, circle, resource, limits: CIRCLE_RESOURCE_LIMITS });
      }
    }),
  );

  router.post(
    '/c/:slug/resources/:id/move',
    asyncHandler(async (req, res) => {
      const { direction } = formFields(req, ['direction'] as const);
      const { circle } = await services.circleResources.forKeeping(member(req), req.params.slug!);
      await services.circleResources.move(member(req), circle.slug, resourceId(req), direction);
      res.redirect(303, `/c/${circle.slug}/resources#resource-${resourceId(req)}`);
    }),
  );

  router.post(
    '/c/:slug/resources/:id/delete',
    asyncHandler(async (req, res) => {
      const { circle } = await services.circleResources.forKeeping(member(req), req.params.slug!);
      await services.circleResources.remove(member(req), circle.slug, resourceId(req));
      res.redirect(303, `/c/${circle.slug}/resources`);
    }),
  );
  return router;
}
