import sharp from 'sharp';

/** What a member's picture becomes: a square WebP, no metadata (no location, no camera). */
export const AVATAR_SIZE = 256;
export const AVATAR_CONTENT_TYPE = 'image/webp';
/** Pictures larger than this many pixels are refused before decoding (a "decompression bomb" guard). */
const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif']);

export type AvatarImageResult = { ok: true; image: Buffer } | { ok: false; problem: 'not_a_picture' | 'too_many_pixels' };

/**
 * Turns an uploaded file into a member's picture: only JPEG, PNG, WebP or GIF
 * (the first frame), judged by the file's contents and never by its name or
 * stated type; turned the right way up (EXIF orientation), cropped to a square,
 * resized and re-encoded, which drops all metadata.
 */
export async function makeAvatarImage(upload: Buffer): Promise<AvatarImageResult> {
  let format: string | undefined;
  let pixels = 0;
  try {
    const meta = await sharp(upload, { limitInputPixels: false }).metadata();
    format = meta.format;
    pixels = (meta.width ?? 0) * (meta.height ?? 0);
  } catch (error) {
    if (error instanceof Error) return { ok: false, problem: 'not_a_picture' };
    throw error;
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, problem: 'not_a_picture' };
  if (pixels > MAX_INPUT_PIXELS) return { ok: false, problem: 'too_many_pixels' };
  try {
    const image = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
      .webp({ quality: 82 })
      .toBuffer();
    return { ok: true, image };
  } catch (error) {
    if (error instanceof Error) return { ok: false, problem: 'not_a_picture' };
    throw error;
  }
}
