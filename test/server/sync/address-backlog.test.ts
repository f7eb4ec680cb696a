// Connections that never read a busy document must not let one address pin the server's memory:
// each may have MAX_BUFFERED_BYTES waiting, but one address holds up to 256 connections, and every
// sync step 1 is answered with a fresh copy of the whole document. 250 such connections on a
// 3.6 MB document took the server from 86 MB to 1.9 GB (and 966 MB of kernel TCP memory). The
// connections of one address share a limit (server/sync/backlog.ts), and a connection's limit
// counts the message about to be queued, not only what waits already.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverPerFile } from '../../helpers/server.ts';
import { participantOnOwnSheet } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { Backlogs, type Backlogged } from '../../../server/sync/backlog.ts';

const LIMIT = 3 * 1024 * 1024;
// Loopback is exempt in production (the machine's own users); here it stands for any address.
const testServer = serverPerFile({
  sync: { backlog: { perAddress: LIMIT, exempt: () => false }, writeBudget: { burstBytes: 64 * 1024 * 1024, bytesPerSecond: 64 * 1024 * 1024 } },
});

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

/** A sync step 1 with an empty state vector: "send me the whole document". */
const WHOLE_DOCUMENT_PLEASE = Uint8Array.from([0, 0, 1, 0]);

describe('connections that read nothing, from one address', () => {
  it('together never have more than the address limit waiting for them', async () => {
    const { server } = testServer;
    const { cookie, docName } = await participantOnOwnSheet(server.origin);
    // A busy document of ~1 MB.
    const writer = connectProvider(server.wsOrigin, docName, { cookie });
    await whenSynced(writer);
    writer.doc.getText('memo:1').insert(0, 'x'.repeat(1024 * 1024));
    await eventually(() => expect(server.app.docs.peek(docName)?.doc.getText('memo:1').length).toBe(1024 * 1024));

    // Ten connections each ask for the whole document eight times (allowed at once) and read
    // nothing: 80 MB asked for, of which the kernels' buffers take only a part.
    for (let i = 0; i < 10; i++) {
      const ws = new WebSocket(`${server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: server.origin } });
      ws.on('error', () => {});
      sockets.push(ws);
      await new Promise((resolve) => ws.once('open', resolve));
      (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
      for (let k = 0; k < 8; k++) ws.send(WHOLE_DOCUMENT_PLEASE);
    }
    // The writer keeps editing, so every connection keeps getting more.
    for (let i = 0; i < 20; i++) {
      writer.doc.getText('memo:2').insert(0, 'y'.repeat(10_000));
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    // Without the address limit: ~50 MB waiting here (each connection up to 6 MB plus a document).
    expect(server.app.liveDocs.unsent()).toBeLessThanOrEqual(LIMIT + 64 * 1024);
    writer.destroy();
  }, 30_000);
});

describe('Backlogs', () => {
  const conn = (bufferedAmount = 0): Backlogged & { bufferedAmount: number } => ({ bufferedAmount });

  it('admits while the address is under its limit and refuses past it', () => {
    const backlogs = new Backlogs({ perAddress: 1000, exempt: () => false });
    const a = conn();
    const b = conn();
    const accountA = backlogs.account('192.0.2.7', a);
    const accountB = backlogs.account('192.0.2.7', b);
    expect(accountA.admits(0, 600)).toBe(true);
    accountA.record((a.bufferedAmount = 600));
    expect(accountB.admits(0, 300)).toBe(true);
    accountB.record((b.bufferedAmount = 300));
    expect(accountB.admits(300, 200)).toBe(false);
    // Another address has its own limit.
    expect(backlogs.account('192.0.2.8', conn()).admits(0, 1000)).toBe(true);
  });

  it('measures again before refusing: what was read since the last send does not count', () => {
    const backlogs = new Backlogs({ perAddress: 1000, exempt: () => false });
    const a = conn();
    const accountA = backlogs.account('192.0.2.7', a);
    accountA.record((a.bufferedAmount = 900));
    a.bufferedAmount = 0; // the client read it all
    expect(backlogs.account('192.0.2.7', conn()).admits(0, 900)).toBe(true);
  });

  it('counts a connection until its socket has closed, then forgets the address', () => {
    const backlogs = new Backlogs({ perAddress: 1000, exempt: () => false });
    const a = conn();
    const accountA = backlogs.account('192.0.2.7', a);
    accountA.record((a.bufferedAmount = 900));
    expect(backlogs.counted('192.0.2.7')).toBe(900);
    accountA.release();
    expect(backlogs.counted('192.0.2.7')).toBe(0);
    expect(backlogs.account('192.0.2.7', conn()).admits(0, 1000)).toBe(true);
  });

  it('leaves exempt addresses (loopback by default) and connections without an address alone', () => {
    const backlogs = new Backlogs({ perAddress: 10 });
    expect(backlogs.account('127.0.0.1', conn()).admits(0, 1_000_000)).toBe(true);
    expect(backlogs.account(undefined, conn()).admits(0, 1_000_000)).toBe(true);
  });
});
