// Named HTTP errors; the central error handler turns them into { statusCode, error, message }.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message = 'ログインが必要です / Sign-in required') => new HttpError(401, message);
export const forbidden = (message = 'この操作の権限がありません / Not allowed') => new HttpError(403, message);
export const notFound = (message = '見つかりません / Not found') => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);
