import * as Y from 'yjs';
import { SyncedDoc } from '../server/sync/synced-doc.ts';
let seed = 12345;
function rnd() { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed & 0xff; }
const stats: Record<string, number> = {};
for (let i = 0; i < 2000; i++) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello');
  const sd = new SyncedDoc('x', doc, () => {});
  const conn = { readOnly: false, send() {}, notifyWriteDenied() {} };
  sd.addConnection(conn);
  const len = 16 + (rnd() % 64);
  const buf = new Uint8Array(len); for (let j = 0; j < len; j++) buf[j] = rnd();
  let outcome: string;
  try { sd.handleMessage(conn, buf); outcome = 'ok:' + buf[0]; } catch (e) { outcome = 'throw:' + (e as Error).constructor.name; }
  stats[outcome] = (stats[outcome] ?? 0) + 1;
  // check doc still usable
  try { doc.getText('t').insert(0, 'a'); Y.encodeStateAsUpdate(doc); } catch (e) { stats['broken'] = (stats['broken'] ?? 0) + 1; }
}
console.log(stats);
// garbage sync update
const s2: Record<string, number> = {};
for (let i = 0; i < 2000; i++) {
  const doc = new Y.Doc(); doc.getText('t').insert(0, 'hello');
  const sd = new SyncedDoc('x', doc, () => {});
  const conn = { readOnly: false, send() {}, notifyWriteDenied() {} };
  sd.addConnection(conn);
  const len = 8 + (rnd() % 64);
  const buf = new Uint8Array(len + 3); buf[0] = 0; buf[1] = 2; buf[2] = len; for (let j = 0; j < len; j++) buf[3 + j] = rnd();
  let outcome: string;
  try { sd.handleMessage(conn, buf); outcome = 'ok'; } catch (e) { outcome = 'throw:' + (e as Error).message.slice(0,40); }
  s2[outcome] = (s2[outcome] ?? 0) + 1;
  try { doc.getText('t').insert(0, 'a'); const u = Y.encodeStateAsUpdate(doc); const d2 = new Y.Doc(); Y.applyUpdate(d2, u); if (!d2.getText('t').toString().endsWith('hello')) s2.diverged = (s2.diverged??0)+1; } catch (e) { s2['broken'] = (s2['broken'] ?? 0) + 1; }
}
console.log(s2);
