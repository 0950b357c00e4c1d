import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/support-line-repository.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../errors.js';
import { isSteward, type Member } from '../members/member.js';
import { optionalText, requiredText } from '../text-rules.js';
import { msg } from '../../i18n/message.js';
import type { SupportLine, SupportLineInput } from './support-line.js';

export const SUPPORT_LIMITS = { name: 100, howToReach: 200, link: 300, hours: 100, languages: 100, description: 500, emergencyServices: 200 } as const;
/** Links people can follow safely: https:, tel:, sms: or mailto: (also used for circles' pinned resources). */
export const LINK_PATTERN = /^(https:\/\/[^\s]+|tel:\+?[0-9 ()-]{3,30}|sms:\+?[0-9 ()-]{3,30}|mailto:[^\s@]+@[^\s@]+)$/i;

/** The group's support lines: stewards keep the list; everyone can read it. */
export class SupportLineService {
  constructor(private readonly db: Database) {}

  list(): Promise<SupportLine[]> {
    return repo.listSupportLines(this.db);
  }

  async get(actor: Member, id: number): Promise<SupportLine> {
    requireSteward(actor);
    const line = await repo.findSupportLine(this.db, id);
    if (!line) throw new NotFoundError(msg('governance.error.support_line_gone'));
    return line;
  }

  async add(actor: Member, input: Record<keyof SupportLineInput, string>): Promise<SupportLine> {
    requireSteward(actor);
    return repo.insertSupportLine(this.db, check(input));
  }

  async update(actor: Member, id: number, input: Record<keyof SupportLineInput, string>): Promise<void> {
    requireSteward(actor);
    const line = check(input);
    if (!(await repo.updateSupportLine(this.db, id, line))) throw new NotFoundError(msg('governance.error.support_line_gone'));
  }

  async remove(actor: Member, id: number): Promise<void> {
    requireSteward(actor);
    if (!(await repo.deleteSupportLine(this.db, id))) throw new NotFoundError(msg('governance.error.support_line_gone'));
  }
}

function requireSteward(actor: Member): void {
  if (!isSteward(actor)) throw new ForbiddenError(msg('governance.error.only_stewards_support'));
}

function check(input: Record<keyof SupportLineInput, string>): SupportLineInput {
  const e: FieldErrors = {};
  const L = SUPPORT_LIMITS;
  const line: SupportLineInput = {
    name: requiredText(e, 'name', input.name, msg('governance.label.name'), L.name),
    howToReach: requiredText(e, 'howToReach', input.howToReach, msg('governance.label.how_to_reach'), L.howToReach),
    link: optionalText(e, 'link', input.link, msg('governance.label.link'), L.link) || null,
    hours: optionalText(e, 'hours', input.hours, msg('governance.label.hours'), L.hours),
    languages: optionalText(e, 'languages', input.languages, msg('governance.label.languages'), L.languages),
    description: optionalText(e, 'description', input.description, msg('governance.label.description'), L.description),
    emergencyServices: requiredText(e, 'emergencyServices', input.emergencyServices, msg('governance.label.emergency_services'), L.emergencyServices),
  };
  if (line.link && !e.link && !LINK_PATTERN.test(line.link)) {
    e.link = msg('governance.error.link_shape');
  }
  if (Object.keys(e).length > 0) throw new ValidationError(e);
  return line;
}
