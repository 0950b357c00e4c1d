import { DEFAULT_LOCALE, isLocale } from '../../i18n/locales.js';
import { msg } from '../../i18n/message.js';
import type { Database } from '../../storage/database.js';
import { findInstance, insertInstance, setRegistrationMode, updateInstance } from '../../storage/repositories/instance-repository.js';
import { ConflictError, ForbiddenError, ValidationError, type FieldErrors } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { MemberService, NewAccount } from '../members/member-service.js';
import { isSteward, type Member } from '../members/member.js';
import { optionalText, requiredText } from '../text-rules.js';
import { resolveTimeZone } from '../time-zones.js';
import { REGISTRATION_MODES, type Instance, type RegistrationMode } from './instance.js';

export interface SetupInput {
  name: string;
  description?: string;
  /** How people join (the web form proposes 'approval'); left out, the instance starts open. */
  registrationMode?: string | undefined;
  /** The first account, who becomes a steward. Absent from the command line's `hearth setup`. */
  steward?: NewAccount;
}

export class InstanceService {
  /** Cached once set up: read on every request. */
  private cached: Instance | undefined;

  constructor(
    private readonly db: Database,
    private readonly members: MemberService,
  ) {}

  async get(): Promise<Instance | undefined> {
    this.cached ??= await findInstance(this.db);
    return this.cached;
  }

  /** Reads the settings again on next use (another process changed them). */
  forget(): void {
    this.cached = undefined;
  }

  async isSetUp(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Names the instance and (from the web) creates the first steward, all or nothing. */
  async setup(input: SetupInput): Promise<{ instance: Instance; steward?: Member }> {
    const errors: FieldErrors = {};
    const name = requiredText(errors, 'name', input.name, msg('accounts.label.instance_name'), LIMITS.instanceName);
    const description = optionalText(errors, 'description', input.description, msg('accounts.label.instance_description'), LIMITS.instanceDescription);
    const account = input.steward && this.members.checkAccount(input.steward, errors);
    const mode = input.registrationMode ? (input.registrationMode as RegistrationMode) : undefined;
    if (mode !== undefined && !REGISTRATION_MODES.includes(mode)) errors.registrationMode = msg('accounts.error.registration_mode');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const hash = account && (await this.members.hash(account.password));
    const steward = await this.db.transaction(async (tx) => {
      if (!(await insertInstance(tx, name, description))) {
        throw new ConflictError(msg('accounts.error.already_set_up'));
      }
      if (mode) await setRegistrationMode(tx, mode);
      return account ? this.members.insertChecked(tx, account, { role: 'steward', status: 'active' }, hash) : undefined;
    });
    this.cached = undefined;
    const instance = (await this.get())!;
    return steward ? { instance, steward } : { instance };
  }

  async updateSettings(
    actor: Member,
    input: { name: string; description: string; registrationMode: string; timeZone: string; language?: string },
  ): Promise<Instance> {
    if (!isSteward(actor)) throw new ForbiddenError(msg('accounts.error.instance_stewards'));
    const errors: FieldErrors = {};
    const name = requiredText(errors, 'name', input.name, msg('accounts.label.instance_name'), LIMITS.instanceName);
    const description = optionalText(errors, 'description', input.description, msg('accounts.label.instance_description'), LIMITS.instanceDescription);
    const mode = input.registrationMode as RegistrationMode;
    if (!REGISTRATION_MODES.includes(mode)) errors.registrationMode = msg('accounts.error.registration_mode');
    const zone = resolveTimeZone(input.timeZone);
    if (!zone.ok) errors.timeZone = zone.problem;
    const current = await this.get();
    const language = input.language === undefined || input.language === '' ? (current?.language ?? DEFAULT_LOCALE) : input.language;
    if (!isLocale(language)) errors.language = msg('common.language.unknown');
    if (Object.keys(errors).length > 0 || !zone.ok || !isLocale(language)) throw new ValidationError(errors);
    await updateInstance(this.db, { name, description, registrationMode: mode, timeZone: zone.zone, language });
    this.cached = undefined;
    return (await this.get())!;
  }
}
