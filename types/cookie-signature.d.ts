/** Local type declaration for cookie-signature 1.x (CommonJS, untyped): what express-session signs its cookie with. */
declare module 'cookie-signature' {
  export function sign(value: string, secret: string): string;
  /** The value, or false when the signature does not match. */
  export function unsign(signed: string, secret: string): string | false;
}
