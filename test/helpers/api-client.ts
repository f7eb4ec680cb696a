// A tiny HTTP client that keeps one session cookie (and the device cookie a join sets, sent to /api
// as a browser sends it) and sends the Origin a browser would.
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class ApiClient {
  cookie: string | undefined;
  /** kizuki_device=…: the browser a participant joined from (read by joins only). */
  deviceCookie: string | undefined;

  constructor(
    readonly origin: string,
    options: { origin?: string | null } = {},
  ) {
    this.sendOrigin = options.origin === undefined ? origin : options.origin;
  }

  private readonly sendOrigin: string | null;

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body);
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, body);
  }
  put(path: string, body?: unknown) {
    return this.request('PUT', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.sendOrigin) headers.origin = this.sendOrigin;
    const cookies = [this.cookie, path.startsWith('/api') ? this.deviceCookie : undefined].filter(Boolean);
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    const res = await fetch(this.origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.getSetCookie();
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const cleared = /expires=Thu, 01 Jan 1970/i.test(line) || pair?.endsWith('=');
      if (pair?.startsWith('kizuki_session=')) this.cookie = cleared ? undefined : pair;
      if (pair?.startsWith('kizuki_device=')) this.deviceCookie = cleared ? undefined : pair;
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
}
