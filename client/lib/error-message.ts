// Every failure the client shows becomes a "日本語 / English" message like the server's, saying what
// to do; the views show the UI language's half (bilingual.ts). Network failures and timeouts
// otherwise reach people as the browser's or socket.io's English ("Failed to fetch", "operation has
// timed out"). Plain functions without Svelte state, so they are unit-tested as they are.

export const NETWORK_MESSAGES = {
  timeout: '通信がタイムアウトしました。接続を確認して、もう一度お試しください / The request timed out. Check your connection and try again',
  unreachable: 'サーバーに接続できません。接続を確認して、もう一度お試しください / Cannot reach the server. Check your connection and try again',
  unavailable: 'サーバーが一時的に応答していません。少し待ってから、もう一度お試しください / The server is not answering right now. Wait a moment and try again',
  serverFault: 'サーバーでエラーが発生しました。もう一度お試しください / Something went wrong on the server. Please try again',
  signIn: 'ログインの有効期限が切れました。ページを再読み込みしてください / Your sign-in has expired. Reload the page',
  generic: 'エラーが発生しました。ページを再読み込みして、もう一度お試しください / Something went wrong. Reload the page and try again',
} as const;

/** Messages that arrive in English only (from socket.io, the browser, or a bare server string). */
const KNOWN: [RegExp, string][] = [
  [/timed out|timeout/i, NETWORK_MESSAGES.timeout],
  [/failed to fetch|networkerror|network request failed|load failed|xhr poll error|websocket error/i, NETWORK_MESSAGES.unreachable],
  [/^internal error$/i, NETWORK_MESSAGES.serverFault],
  [/^unauthorized$/i, NETWORK_MESSAGES.signIn],
];

/** The bilingual message for anything thrown by a request (HTTP or control socket). */
export function errorMessage(err: unknown): string {
  if (isAbort(err)) return NETWORK_MESSAGES.timeout;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return bilingualMessage(message);
}

/** A message from anywhere: kept when already "日本語 / English", mapped when known, generic otherwise. */
export function bilingualMessage(message: string): string {
  if (message.includes(' / ')) return message;
  for (const [pattern, text] of KNOWN) if (pattern.test(message)) return text;
  return NETWORK_MESSAGES.generic;
}

/** For an HTTP error whose body carried no message (a proxy's HTML page, an empty 502). */
export function messageForStatus(status: number): string {
  if (status === 401) return NETWORK_MESSAGES.signIn;
  if (status === 408 || status === 504) return NETWORK_MESSAGES.timeout;
  if (status === 502 || status === 503) return NETWORK_MESSAGES.unavailable;
  if (status >= 500) return NETWORK_MESSAGES.serverFault;
  return NETWORK_MESSAGES.generic;
}

/** fetch() aborted by its timeout signal (AbortSignal.timeout throws a TimeoutError DOMException). */
function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && ((err as { name?: unknown }).name === 'TimeoutError' || (err as { name?: unknown }).name === 'AbortError');
}
