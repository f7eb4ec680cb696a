// A light y-websocket client for load: a raw WebSocket that does the sync handshake (sends step 1
// with an empty state vector, answers the server's step 1 with an empty step 2) and reports when
// the server's step 2 arrived. No Y.Doc, so a thousand of them cost the load process little and the
// time measured is the server's.
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { EMPTY_STEP1 as STEP1, EMPTY_STEP2 as STEP2, MESSAGE_SYNC } from './handshake-frames.ts';

export interface LightClient {
  socket: WebSocket;
  synced: Promise<void>;
}

export function lightClient(url: string, headers: Record<string, string> = {}): LightClient {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  socket.binaryType = 'nodebuffer';
  const synced = new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(STEP1));
    socket.on('message', (data: Buffer) => {
      if (data[0] !== MESSAGE_SYNC) return;
      if (data[1] === syncProtocol.messageYjsSyncStep1) socket.send(STEP2);
      else if (data[1] === syncProtocol.messageYjsSyncStep2) resolve();
    });
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed ${code} before sync`)));
  });
  synced.catch(() => {});
  return { socket, synced };
}
