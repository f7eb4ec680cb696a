// The English UI calls a 勉強会 a "session" (client/lib/i18n/en.ts); the English half of the
// server's "日本語 / English" messages must say the same, not "event" (the code's word for it).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_A_MEMBER, EVENT_CLOSED } from '../../server/control/guards.ts';
import { COMPANY_NAME_ELSEWHERE } from '../../server/domain/events.ts';
import { describeValidation } from '../../server/validation-messages.ts';
import { en } from '../../client/lib/i18n/en.ts';

const SERVER = path.resolve(import.meta.dirname, '../../server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The English halves of the bilingual string literals of a source file ('a' + 'b' joined first). */
function englishHalves(source: string): string[] {
  const joined = source.replace(/'\s*\+\s*'/g, '').replace(/`\s*\+\s*`/g, '');
  const literals = joined.match(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g) ?? [];
  return literals.filter((literal) => literal.includes(' / ')).map((literal) => literal.slice(literal.lastIndexOf(' / ') + 3, -1));
}

/** Where "event" means something else in English: a socket.io event's name. */
const NOT_A_SESSION = [/^unknown event: \$\{name\}$/];

describe('the English half of server messages', () => {
  it('says "session", never "event"', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SERVER)) {
      for (const english of englishHalves(readFileSync(file, 'utf8'))) {
        if (/\bevents?\b/i.test(english) && !NOT_A_SESSION.some((allowed) => allowed.test(english))) {
          offenders.push(`${path.relative(SERVER, file)}: ${english}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('for example in the membership, closed-session and company-name messages', () => {
    expect(NOT_A_MEMBER).toMatch(/ \/ You are not part of this session$/);
    expect(EVENT_CLOSED).toMatch(/ \/ This session is closed$/);
    expect(COMPANY_NAME_ELSEWHERE).toMatch(/registered from another session\. If it is your company, ask the facilitator to add it to this session;/);
    const missing = describeValidation([{ keyword: 'required', instancePath: '', params: { missingProperty: 'eventId' } }], 'payload');
    expect(missing.message).toMatch(/ \/ Session is required$/);
  });

  it('matches the English UI, which says "session" too', () => {
    const uiSaysEvent = Object.entries(en).filter(([, text]) => /\bevents?\b/i.test(text));
    expect(uiSaysEvent).toEqual([]);
    expect(Object.values(en).some((text) => /\bsession\b/.test(text))).toBe(true);
  });
});
