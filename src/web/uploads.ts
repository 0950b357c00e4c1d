import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../domain/errors.js';
import type { AvatarUpload } from '../domain/members/avatars.js';
import { msg } from '../i18n/message.js';

const uploads = new WeakMap<Request, AvatarUpload>();

/**
 * Reads one uploaded file from a multipart form into memory (multer), at most
 * `maxBytes`. A file over the limit is not an error of the request: it is
 * handed to the service as "too large", which refuses it on the form with a
 * clear message. The form's text fields (its CSRF token first) are read as
 * usual. A malformed multipart request is refused before anything else.
 * Mounted before CSRF protection, which needs the parsed token.
 */
export function fileUpload(field: string, maxBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  }).single(field);
  return (req, res, next) => {
    parse(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        uploads.set(req, { bytes: Buffer.alloc(0), tooLarge: true });
        return next();
      }
      if (error instanceof multer.MulterError) {
        return next(new ValidationError({ [field]: msg('accounts.error.one_picture') }, msg('accounts.error.upload_shape')));
      }
      if (error) return next(error);
      if (req.file) uploads.set(req, { bytes: req.file.buffer, tooLarge: false });
      next();
    });
  };
}

/** The file `fileUpload` read for this request, if any. */
export function uploadedFile(req: Request): AvatarUpload | undefined {
  return uploads.get(req);
}
