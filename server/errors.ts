// Named HTTP errors; the central error handler turns them into { statusCode, error, message }.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Which rule the request broke, for a client to act on (e.g. 'event-closed'); sent as `rule`. */
    readonly rule?: string,
    /** The request field at fault and the number in its rule, as validation errors send them (`field`, `limit`). */
    readonly detail?: { field: string; limit?: number },
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
/**
 * A field refused by a rule the schema cannot state (a password's strength): a 400 shaped like a
 * schema validation error ({ field, rule, limit?, message }), so a client points at the input.
 */
export const invalidField = (field: string, rule: string, message: string, limit?: number) =>
  new HttpError(400, message, rule, limit === undefined ? { field } : { field, limit });
export const unauthorized = (message = 'ログインが必要です / Sign-in required') => new HttpError(401, message);
export const forbidden = (message = 'この操作の権限がありません / Not allowed') => new HttpError(403, message);
export const notFound = (message = '見つかりません / Not found') => new HttpError(404, message);
export const conflict = (message: string, rule?: string) => new HttpError(409, message, rule);
export const gone = (message: string) => new HttpError(410, message, 'event-closed');

/**
 * SQLSTATEs for text the database cannot store: NUL in text (22021, invalid byte sequence) or in
 * jsonb (22P05, untranslatable character). Requests are checked for them first; this is the net.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

export const UNSTORABLE_TEXT_MESSAGE =
  '使えない文字（制御文字）が含まれているため保存できません / The text contains a control character that cannot be stored';

/** The database refused a character of the text, whether drizzle wrapped the driver's error or not. */
export function isUnstorableText(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (UNSTORABLE_TEXT.has((e as { code?: unknown }).code as string)) return true;
  }
  return false;
}
