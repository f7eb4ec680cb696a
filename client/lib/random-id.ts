// Ids the browser makes for what it adds to a document (cards, worksheet lines, queued changes).
// crypto.randomUUID() exists only in secure contexts (https, localhost): phones opening Kizuki on
// the venue's Wi-Fi over plain http (HOST=0.0.0.0) have no such function, and adding a card failed
// silently there. crypto.getRandomValues() exists in every context.

/** A random (version 4) UUID, in any context. */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
