import { randomBytes } from 'node:crypto';
import type { Database } from '../../storage/database.js';
import * as repo from '../../storage/repositories/avatar-repository.js';
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from '../errors.js';
import type { Member } from './member.js';
import { msg } from '../../i18n/message.js';

/** The largest file a member may upload as their picture. */
export const AVATAR_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Turns an upload into the picture kept (implemented with sharp in src/content). */
export type AvatarMaker = (upload: Buffer) => Promise<{ ok: true; image: Buffer } | { ok: false; problem: 'not_a_picture' | 'too_many_pixels' }>;

/** An uploaded file as the web layer hands it over; `tooLarge` when it was cut off at the limit. */
export interface AvatarUpload {
  bytes: Buffer;
  tooLarge: boolean;
}

/**
 * Members' pictures: optional (initials are shown otherwise), uploaded by the
 * member, made on the server into a small square image without metadata.
 */
export class AvatarService {
  constructor(
    private readonly db: Database,
    private readonly make: AvatarMaker,
    private readonly contentType: string,
  ) {}

  async set(actor: Member | undefined, upload: AvatarUpload | undefined): Promise<void> {
    if (!actor) throw new NotSignedInError(msg('accounts.error.avatar_log_in'));
    if (actor.status !== 'active') throw new ForbiddenError(msg('accounts.error.avatar_cannot'));
    const mb = AVATAR_UPLOAD_BYTES / (1024 * 1024);
    if (!upload || (upload.bytes.length === 0 && !upload.tooLarge)) throw new ValidationError({ avatar: msg('accounts.error.avatar_none') });
    if (upload.tooLarge) throw new ValidationError({ avatar: msg('accounts.error.avatar_large', { mb }) });
    const made = await this.make(upload.bytes);
    if (!made.ok) {
      throw new ValidationError({
        avatar:
          made.problem === 'too_many_pixels'
            ? msg('accounts.error.avatar_pixels')
            : msg('accounts.error.avatar_unusable'),
      });
    }
    const version = randomBytes(6).toString('hex');
    await this.db.transaction((tx) => repo.saveAvatar(tx, actor.id, { image: made.image, contentType: this.contentType, version }));
  }

  async remove(actor: Member | undefined): Promise<void> {
    if (!actor) throw new NotSignedInError(msg('accounts.error.avatar_log_in'));
    await this.db.transaction((tx) => repo.deleteAvatar(tx, actor.id));
  }

  async imageOf(handle: string): Promise<repo.StoredAvatar> {
    const avatar = await repo.findAvatarByHandle(this.db, handle);
    if (!avatar) throw new NotFoundError(msg('accounts.error.avatar_missing'));
    return avatar;
  }
}
