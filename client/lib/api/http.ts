// JSON over fetch with the session cookie. Errors carry the server's message.
import type {
  AddedEventCompany,
  EventCompany,
  EventDetail,
  EventSummary,
  JoinInfo,
  JoinRequest,
  JoinResponse,
  NewEvent,
  Room,
  User,
} from '../../../shared/schemas/api.ts';
import type { EventMembers, JoinPending, JoinRequestState, PendingJoinRequest } from '../../../shared/schemas/members.ts';
import { errorMessage, messageForStatus, NETWORK_MESSAGES } from '../error-message.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field a validation error is about (the server's `field`), to focus its input. */
    readonly field?: string,
    /** The rule the request broke (the server's `rule`, e.g. 'event-closed'), for the page to act on. */
    readonly rule?: string,
  ) {
    super(message);
  }
}

/** A request still unanswered after this long is given up, and the page says so (not a spinner forever). */
const REQUEST_TIMEOUT_MS = 20_000;

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (err) {
    // Offline, the server down, or no answer in time: errorMessage() says which.
    throw new ApiError(0, errorMessage(err) === NETWORK_MESSAGES.timeout ? NETWORK_MESSAGES.timeout : NETWORK_MESSAGES.unreachable);
  }
  // A proxy in front of the server may answer with an HTML page instead of our JSON.
  let data: { message?: unknown } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, NETWORK_MESSAGES.generic);
  }
  if (!res.ok) {
    const message = typeof data?.message === 'string' ? data.message : messageForStatus(res.status);
    const { field, rule } = (data ?? {}) as { field?: unknown; rule?: unknown };
    throw new ApiError(res.status, message, typeof field === 'string' ? field : undefined, typeof rule === 'string' ? rule : undefined);
  }
  return data as T;
}

export const api = {
  setupStatus: () => request<{ needed: boolean }>('GET', '/api/setup'),
  setup: (body: { email: string; password: string; displayName: string }) => request<User>('POST', '/api/setup', body),
  /** Another facilitator account (only a signed-in facilitator may): 201 with the new user; 409 when the email is taken. */
  createFacilitator: (body: { email: string; password: string; displayName: string }) => request<User>('POST', '/api/facilitators', body),
  login: (body: { email: string; password: string }) => request<User>('POST', '/api/auth/login', body),
  logout: () => request<null>('POST', '/api/auth/logout'),
  logoutEverywhere: () => request<null>('POST', '/api/auth/logout-everywhere'),
  /** Who is signed in: null is an answer (200), so an anonymous page load logs no failed request. */
  session: () => request<{ user: User | null }>('GET', '/api/auth/session'),
  listEvents: () => request<EventSummary[]>('GET', '/api/events'),
  createEvent: (body: NewEvent) => request<EventSummary>('POST', '/api/events', body),
  getEvent: (eventId: string) => request<EventDetail>('GET', `/api/events/${eventId}`),
  addFacilitator: (eventId: string, email: string) =>
    request<{ userId: string; displayName: string }>('POST', `/api/events/${eventId}/facilitators`, { email }),
  closeEvent: (eventId: string) => request<EventDetail>('POST', `/api/events/${eventId}/close`),
  /** `reused`: an existing company with history in other sessions was linked (`otherSessions` of them). */
  addCompany: (eventId: string, body: { name: string } | { companyId: string }) =>
    request<AddedEventCompany>('POST', `/api/events/${eventId}/companies`, body),
  updateCompany: (eventId: string, eventCompanyId: string, body: { name?: string; roomId?: string | null }) =>
    request<EventCompany>('PATCH', `/api/events/${eventId}/companies/${eventCompanyId}`, body),
  addRoom: (eventId: string, name: string) => request<Room>('POST', `/api/events/${eventId}/rooms`, { name }),
  serverInfo: () => request<{ shareOrigin: string | null; loopbackOnly: boolean }>('GET', '/api/server-info'),
  rotateJoinCode: (eventId: string) => request<{ joinCode: string | null }>('POST', `/api/events/${eventId}/join-code`),
  revokeJoinCode: (eventId: string) => request<{ joinCode: string | null }>('DELETE', `/api/events/${eventId}/join-code`),
  joinInfo: (code: string) => request<JoinInfo>('GET', `/api/join/${encodeURIComponent(code)}`),
  join: (body: JoinRequest) => request<JoinResponse | JoinPending>('POST', '/api/join', body),
  joinRequestState: (requestId: string) => request<JoinRequestState>('GET', `/api/join/requests/${requestId}`),
  listMembers: (eventId: string) => request<EventMembers>('GET', `/api/events/${eventId}/members`),
  removeMember: (eventId: string, userId: string) => request<null>('DELETE', `/api/events/${eventId}/members/${userId}`),
  setCompaniesLocked: (eventId: string, companiesLocked: boolean) => request<EventDetail>('PATCH', `/api/events/${eventId}`, { companiesLocked }),
  rotateInviteCode: (eventId: string, eventCompanyId: string) =>
    request<{ inviteCode: string | null }>('POST', `/api/events/${eventId}/companies/${eventCompanyId}/invite`),
  revokeInviteCode: (eventId: string, eventCompanyId: string) =>
    request<{ inviteCode: string | null }>('DELETE', `/api/events/${eventId}/companies/${eventCompanyId}/invite`),
  listJoinRequests: (eventId: string) => request<PendingJoinRequest[]>('GET', `/api/events/${eventId}/join-requests`),
  decideJoinRequest: (eventId: string, requestId: string, decision: 'approve' | 'reject') =>
    request<null>('POST', `/api/events/${eventId}/join-requests/${requestId}/${decision}`),
};
