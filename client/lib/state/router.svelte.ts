// A small history-API router: the current path as state, and navigate() for links and redirects.
class Router {
  path = $state(location.pathname);
  query = $state(new URLSearchParams(location.search));

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  navigate(to: string, { replace = false } = {}): void {
    if (replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
    scrollTo(0, 0);
  }

  /** Matches "/events/:id/board" style patterns; returns the params or null. */
  match(pattern: string): Record<string, string> | null {
    const want = pattern.split('/');
    const have = this.path.replace(/\/$/, '').split('/');
    if (want.length !== have.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const h = have[i]!;
      if (w.startsWith(':')) {
        const value = decode(h);
        if (value === null) return null;
        params[w.slice(1)] = value;
      } else if (w !== h) return null;
    }
    return params;
  }

  private sync(): void {
    this.path = location.pathname;
    this.query = new URLSearchParams(location.search);
  }
}

/** A malformed escape (a mangled link such as /join/%E0%A4%A) is no match, not a crash. */
function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export const router = new Router();

/** Use on <a href> elements: client-side navigation for plain left clicks. */
export function link(node: HTMLAnchorElement) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(node.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    router.navigate(url.pathname + url.search);
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}
