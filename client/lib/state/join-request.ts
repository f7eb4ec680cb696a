// A join request waiting for a facilitator's approval (locked companies): remembered per tab so a
// reload keeps waiting, and polled until it is decided.
import { api, ApiError } from '../api/http.ts';

export interface Waiting {
  requestId: string;
  companyName: string;
  /** 'replaced': the same person asked again, for another company, from another tab (the server gave that a new request). */
  status: 'pending' | 'rejected' | 'replaced';
  /** Known right after asking (not after a reload): why it waits. */
  reason?: 'locked' | 'company-history';
}

/** How often the waiting page asks whether the request was decided. */
export const POLL_MS = 2000;

const key = (eventId: string) => `kizuki:join-request:${eventId}`;

export function rememberRequest(eventId: string, requestId: string): void {
  try {
    sessionStorage.setItem(key(eventId), requestId);
  } catch {
    // private mode: a reload shows the form again (asking again keeps the same request)
  }
}

export function rememberedRequest(eventId: string): string | null {
  try {
    return sessionStorage.getItem(key(eventId));
  } catch {
    return null;
  }
}

export function forgetRequest(eventId: string): void {
  try {
    sessionStorage.removeItem(key(eventId));
  } catch {
    // nothing remembered
  }
}

/**
 * Polls the request until it is approved or rejected, or is gone (404: the person asked again for
 * another company, which is a new request); network errors just wait for the next round.
 * Returns a function that stops polling.
 */
export function waitForApproval(requestId: string, decided: (status: 'approved' | 'rejected' | 'replaced') => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      const state = await api.joinRequestState(requestId);
      if (stopped) return;
      if (state.status !== 'pending') {
        stopped = true;
        decided(state.status);
        return;
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !stopped) {
        stopped = true;
        decided('replaced');
        return;
      }
      // offline or a server hiccup: try again
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  timer = setTimeout(poll, POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
