// A stock y-websocket WebsocketProvider in Node, sending the cookie and Origin a browser would.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';

export function webSocketClass(headers: Record<string, string | undefined>) {
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: clean });
    }
  };
}

export function connectProvider(
  wsOrigin: string,
  docName: string,
  /** `awareness`: an earlier provider's, as a client reconnecting elsewhere keeps its presence. */
  options: { cookie?: string; origin?: string; doc?: Y.Doc; awareness?: Awareness } = {},
): WebsocketProvider {
  const doc = options.doc ?? new Y.Doc();
  return new WebsocketProvider(`${wsOrigin}/yjs`, docName, doc, {
    WebSocketPolyfill: webSocketClass({ cookie: options.cookie, origin: options.origin ?? wsOrigin.replace(/^ws/, 'http') }) as never,
    disableBc: true,
    maxBackoffTime: 300,
    ...(options.awareness ? { awareness: options.awareness } : {}),
  });
}

export function whenSynced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider for ${provider.roomname} did not sync`)), timeoutMs);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls until check() passes (real network, real timers). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
