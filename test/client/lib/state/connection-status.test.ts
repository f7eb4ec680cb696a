// The connection indicator's word: 「再接続中…」 only for a connection that was live and is lost,
// 「接続中…」 for one not live yet (the plenary opening every company's sheet said 再接続中 before).
import { describe, expect, it } from 'vitest';
import { connectionStatus } from '../../../../client/lib/state/connection-status.ts';

const socket = { connected: true, everConnected: true };
const live = { live: true, everSynced: true };

describe('connectionStatus', () => {
  it('is online when the socket and every document are live', () => {
    expect(connectionStatus({ browserOnline: true, socket, documents: [live, live] })).toBe('online');
  });

  it('is connecting while a document opens for the first time, the others live', () => {
    expect(connectionStatus({ browserOnline: true, socket, documents: [live, { live: false, everSynced: false }] })).toBe('connecting');
  });

  it('is connecting while the page opens (socket not yet connected)', () => {
    const documents = [{ live: false, everSynced: false }];
    expect(connectionStatus({ browserOnline: true, socket: { connected: false, everConnected: false }, documents })).toBe('connecting');
  });

  it('is reconnecting once a document that was live lost its connection, even while another opens', () => {
    const documents = [{ live: false, everSynced: true }, { live: false, everSynced: false }];
    expect(connectionStatus({ browserOnline: true, socket, documents })).toBe('reconnecting');
  });

  it('is reconnecting when the control socket was connected and is not', () => {
    expect(connectionStatus({ browserOnline: true, socket: { connected: false, everConnected: true }, documents: [live] })).toBe('reconnecting');
  });

  it('is offline whatever else when the browser is offline', () => {
    expect(connectionStatus({ browserOnline: false, socket, documents: [live] })).toBe('offline');
  });
});
