// Failures reach people as "日本語 / English" messages that say what to do, whatever threw them.
import { describe, expect, it } from 'vitest';
import { bilingualMessage, errorMessage, messageForStatus, NETWORK_MESSAGES } from '../../../client/lib/error-message.ts';
import { textLength, overLimit } from '../../../client/lib/text-limit.ts';

describe('errorMessage', () => {
  it("maps socket.io's timeout to the Japanese timeout message", () => {
    const message = errorMessage(new Error('operation has timed out'));
    expect(message).toBe(NETWORK_MESSAGES.timeout);
    expect(message.split(' / ')[0]).toBe('通信がタイムアウトしました。接続を確認して、もう一度お試しください');
  });

  it('maps a fetch aborted by its timeout signal, and network failures', () => {
    expect(errorMessage(new DOMException('signal timed out', 'TimeoutError'))).toBe(NETWORK_MESSAGES.timeout);
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(NETWORK_MESSAGES.unreachable);
    expect(errorMessage(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(NETWORK_MESSAGES.unreachable);
    expect(errorMessage(new Error('xhr poll error'))).toBe(NETWORK_MESSAGES.unreachable);
  });

  it('keeps server messages, which are already in both languages', () => {
    const server = '名前は60文字以内で入力してください / Name must be at most 60 characters';
    expect(errorMessage(new Error(server))).toBe(server);
    expect(bilingualMessage(server)).toBe(server);
  });

  it('turns bare English from the server and anything unknown into a message saying what to do', () => {
    expect(bilingualMessage('internal error')).toBe(NETWORK_MESSAGES.serverFault);
    expect(bilingualMessage('unauthorized')).toBe(NETWORK_MESSAGES.signIn);
    expect(errorMessage(new Error('Cannot read properties of undefined'))).toBe(NETWORK_MESSAGES.generic);
    expect(errorMessage(undefined)).toBe(NETWORK_MESSAGES.generic);
    for (const text of Object.values(NETWORK_MESSAGES)) expect(text).toMatch(/^[^/]*[ぁ-んァ-ン一-龯][^/]* \/ [A-Z]/);
  });

  it('says something useful for an HTTP error without a JSON message (a proxy page)', () => {
    expect(messageForStatus(502)).toBe(NETWORK_MESSAGES.unavailable);
    expect(messageForStatus(504)).toBe(NETWORK_MESSAGES.timeout);
    expect(messageForStatus(500)).toBe(NETWORK_MESSAGES.serverFault);
    expect(messageForStatus(401)).toBe(NETWORK_MESSAGES.signIn);
    expect(messageForStatus(418)).toBe(NETWORK_MESSAGES.generic);
  });
});

describe('text limits', () => {
  it('count characters as the server does: code points of the trimmed text', () => {
    expect(textLength('  田中 ')).toBe(2);
    expect(textLength('𠮷'.repeat(60))).toBe(60); // 120 UTF-16 units: an input maxlength would cut it to 30
    expect(overLimit('あ'.repeat(61), 60)).toBe(1);
    expect(overLimit('あ'.repeat(60), 60)).toBe(0);
  });
});
