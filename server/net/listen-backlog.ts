// After a restart every open board reconnects at once. Node's default accept queue (511) overflows
// at a few hundred simultaneous connects, and a dropped handshake waits for TCP's 1 s
// retransmission; a deeper queue lets the server take them as fast as it can (the kernel caps it
// at net.core.somaxconn).
export const LISTEN_BACKLOG = 4096;
