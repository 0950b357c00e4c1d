import { msg } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/circle-resource-repository.js';
import { openerOrSteward, type CircleKeepers } from '../circles/circle-keepers.js';
import type { CircleService } from '../circles/circle-service.js';
import type { Circle } from '../circles/circle.js';
import { ConflictError, ForbiddenError, NotFoundError, NotSignedInError, ValidationError, type FieldErrors } from '../errors.js';
import type { Member } from '../members/member.js';
import { LINK_PATTERN } from '../support/support-line-service.js';
import { optionalText, requiredText } from '../text-rules.js';
import { CIRCLE_RESOURCE_LIMITS as L, type CircleResource, type CircleResourceInput } from './circle-resource.js';

const GONE = msg('staying.resources.gone');

/** What a circle pins for its members ("Resources this circle shares"), in the order its keepers chose. */
export class CircleResourceService {
  constructor(
    private readonly db: Database,
    private readonly circles: CircleService,
    private readonly keepers: CircleKeepers = openerOrSteward,
  ) {}

  /** The circle's pinned resources, for everyone who may see the circle. */
  list(circle: Circle): Promise<CircleResource[]> {
    return repo.listCircleResources(this.db, circle.id);
  }

  /** May this viewer keep the circle's list? */
  canManage(viewer: Member | undefined, circle: Circle): Promise<boolean> {
    return this.keepers(viewer, circle);
  }

  /** The circle and its list, for someone who keeps it. */
  async forKeeping(actor: Member | undefined, slug: string): Promise<{ circle: Circle; resources: CircleResource[] }> {
    const circle = await this.keptCircle(actor, slug);
    return { circle, resources: await this.list(circle) };
  }

  async get(actor: Member | undefined, slug: string, id: number): Promise<{ circle: Circle; resource: CircleResource }> {
    const circle = await this.keptCircle(actor, slug);
    return { circle, resource: await this.resourceOf(circle, id) };
  }

  async add(actor: Member | undefined, slug: string, input: Record<keyof CircleResourceInput, string>): Promise<CircleResource> {
    const circle = await this.keptCircle(actor, slug);
    const resource = check(input);
    const id = await this.db.transaction(async (tx) => {
      await repo.lockCircleResources(tx, circle.id);
      if ((await repo.countCircleResources(tx, circle.id)) >= L.perCircle) {
        throw new ConflictError(msg('staying.resources.full', { max: L.perCircle }));
      }
      return repo.insertCircleResource(tx, circle.id, resource);
    });
    return (await repo.findCircleResource(this.db, id))!;
  }

  async update(actor: Member | undefined, slug: string, id: number, input: Record<keyof CircleResourceInput, string>): Promise<void> {
    const circle = await this.keptCircle(actor, slug);
    await this.resourceOf(circle, id);
    if (!(await repo.updateCircleResource(this.db, id, check(input)))) throw new NotFoundError(GONE);
  }

  async remove(actor: Member | undefined, slug: string, id: number): Promise<void> {
    const circle = await this.keptCircle(actor, slug);
    await this.resourceOf(circle, id);
    if (!(await repo.deleteCircleResource(this.db, id))) throw new NotFoundError(GONE);
  }

  /** Moves a resource one place up or down the list (nothing happens at either end). */
  async move(actor: Member | undefined, slug: string, id: number, direction: string): Promise<void> {
    if (direction !== 'up' && direction !== 'down') throw new ValidationError({ direction: msg('staying.resources.up_or_down') });
    const circle = await this.keptCircle(actor, slug);
    await this.db.transaction(async (tx) => {
      await repo.lockCircleResources(tx, circle.id);
      const ids = (await repo.listCircleResources(tx, circle.id)).map((r) => r.id);
      const from = ids.indexOf(id);
      if (from === -1) throw new NotFoundError(GONE);
      const to = direction === 'up' ? from - 1 : from + 1;
      if (to < 0 || to >= ids.length) return;
      [ids[from], ids[to]] = [ids[to]!, ids[from]!];
      await repo.setCircleResourceOrder(tx, circle.id, ids);
    });
  }

  private async keptCircle(actor: Member | undefined, slug: string): Promise<Circle> {
    if (!actor) throw new NotSignedInError();
    const circle = await this.circles.get(slug, actor);
    if (!(await this.keepers(actor, circle))) {
      throw new ForbiddenError(msg('staying.resources.only_keepers'));
    }
    return circle;
  }

  private async resourceOf(circle: Circle, id: number): Promise<CircleResource> {
    const resource = await repo.findCircleResource(this.db, id);
    if (!resource || resource.circleId !== circle.id) throw new NotFoundError(GONE);
    return resource;
  }
}

function check(input: Record<keyof CircleResourceInput, string>): CircleResourceInput {
  const e: FieldErrors = {};
  const resource: CircleResourceInput = {
    title: requiredText(e, 'title', input.title, msg('staying.resources.label_title'), L.title),
    link: optionalText(e, 'link', input.link, msg('staying.resources.label_link'), L.link) || null,
    description: optionalText(e, 'description', input.description, msg('staying.resources.label_description'), L.description),
  };
  if (resource.link && !e.link && !LINK_PATTERN.test(resource.link)) {
    e.link = msg('staying.resources.link_shape');
  }
  if (Object.keys(e).length > 0) throw new ValidationError(e);
  return resource;
}
