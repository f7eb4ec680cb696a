// WebSocket close codes used by the Yjs endpoint. 1xxx are RFC 6455; 44xx mirror HTTP statuses.
export const CloseCode = {
  /** Not a well-formed y-websocket message (bad varint, truncated, unknown type). */
  ProtocolError: { code: 1002, reason: 'Malformed message' },
  /** A text frame: the protocol is binary only. */
  UnsupportedData: { code: 1003, reason: 'Binary messages only' },
  /** Frame larger than the server accepts (ws closes with this by itself). */
  MessageTooBig: { code: 1009, reason: 'Message too big' },
  /** The server is shutting down; clients reconnect to the next instance. */
  GoingAway: { code: 1001, reason: 'Server shutting down' },
  InternalError: { code: 1011, reason: 'Internal error' },
  /**
   * The user's rights changed (seat moved, event closed): reconnect to get the new ones.
   * Not 44xx: y-websocket treats 4400–4499 as "do not reconnect".
   */
  AccessChanged: { code: 4000, reason: 'Access changed; reconnect' },
  /** Signed out: stop reconnecting (y-websocket gives up on 4400–4499). */
  SignedOut: { code: 4401, reason: 'Signed out' },
  /** Removed from the event by a facilitator: stop reconnecting (the upgrade would be refused). */
  Removed: { code: 4403, reason: 'Removed from the event' },
} as const;
