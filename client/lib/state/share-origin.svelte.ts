// The origin invite links and QR codes use: the server's answer (PUBLIC_ORIGIN or its LAN
// address), else this page's own origin. Asked once per page load (facilitators only).
import { api } from '../api/http.ts';

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');

class ShareOrigin {
  origin = $state(location.origin);
  /** The server listens on loopback only and this page was opened there: phones cannot join. */
  phonesBlocked = $state(false);
  private asked = false;

  load(): void {
    if (this.asked) return;
    this.asked = true;
    api.serverInfo().then(
      (info) => {
        if (info.shareOrigin) this.origin = info.shareOrigin;
        this.phonesBlocked = info.loopbackOnly && isLoopback(location.hostname);
      },
      () => {
        // Not a facilitator or offline: this page's origin is the best guess.
      },
    );
  }
}

export const shareOrigin = new ShareOrigin();
