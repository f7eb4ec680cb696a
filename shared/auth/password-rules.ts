// What a facilitator's password must be, beyond its length (10–256 characters, checked by the
// request schema NewFacilitator): following NIST SP 800-63B, no composition rules (no "one digit,
// one capital"), but a password is refused when it is
// - only whitespace ("whitespaceOnly"),
// - made of fewer than MIN_DISTINCT_CHARACTERS different characters, like "aaaaaaaaaa" or
//   "1212121212" ("fewDistinctCharacters"),
// - one of the passwords people use most, or one this service suggests ("commonPassword").
// Isomorphic: the server refuses with these messages (400, field "password"), and the setup and
// add-facilitator forms show the same message before sending.

/** Fewer different characters than this (counted as code points) is refused. */
export const MIN_DISTINCT_CHARACTERS = 4;

export type PasswordRule = 'whitespaceOnly' | 'fewDistinctCharacters' | 'commonPassword';

export interface PasswordProblem {
  rule: PasswordRule;
  /** The number in the rule (fewDistinctCharacters: 4), when it has one. */
  limit?: number;
  /** "日本語 / English", like every other API message. */
  message: string;
}

/**
 * The most common passwords of 10 or more characters (shorter ones are refused by length
 * already), as they appear at the top of public breach corpora: digit runs, keyboard walks,
 * "password"/"welcome"/"iloveyou" with digits, and popular words. Also the example password the
 * start-up output prints and the name of this service with digits (context-specific words, as
 * SP 800-63B asks). Compared after NFKC (full-width input typed with a Japanese IME is the same
 * password), lower case and trimmed.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  // digit runs
  '1234567890', '0987654321', '0123456789', '9876543210', '12345678910', '1234567891', '1234567899',
  '123456789a', '123456789q', '123456789z', 'a123456789', 'q123456789', '1234567890a', '1234567890q',
  '1234512345', '1234554321', '1122334455', '1029384756', '0192837465', '1357924680', '123456654321',
  '12345678900', '123456789123', '1234567890123', '11223344556677',
  // keyboard walks, with and without digits
  'qwertyuiop', 'poiuytrewq', 'azertyuiop', 'qwertzuiop', 'asdfghjkl1', 'asdfghjkl123', 'zxcvbnm123',
  '1q2w3e4r5t', 'q1w2e3r4t5', '1q2w3e4r5t6y', 'q1w2e3r4t5y6', '1qaz2wsx3edc', '1qazxsw23edc', 'qazwsxedc123',
  'qazwsxedcrfv', 'qwerasdfzxcv', '123qweasdzxc', 'zxcasdqwe123', '1q2w3e4r5t6y7u', 'qwertyuiop123',
  'qwerty1234', 'qwerty12345', 'qwerty123456', '12345qwert', '12345qwerty', '123456qwerty', 'qwert12345',
  'qwertyqwerty', 'abcdefghij', 'abcdefg123', 'abc1234567', 'abcd123456', 'abcde12345', 'abc123456789',
  // password, welcome, admin and friends
  'password12', 'password123', 'password1234', 'password12345', 'password123456', 'password01', 'password99',
  'password123!', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123', 'password2024', 'password2025', 'password2026',
  'mypassword', 'mypassword1', 'mypassword123', 'newpassword', 'newpassword1', 'secretpassword',
  'passwordpassword', 'iloveyou12', 'iloveyou123', 'iloveyou1234', 'letmein123', 'letmein1234',
  'welcome123', 'welcome1234', 'welcome2024', 'welcome2025', 'welcome2026', 'admin12345', 'admin123456',
  'administrator', 'administrator1', 'changeme123', 'changeme1234', 'trustno1234', 'loveyou123',
  // popular words and names
  'basketball', 'football123', 'baseball123', 'superman123', 'harrypotter', 'playstation', 'christopher',
  'manchester', 'liverpool1', 'liverpool123', 'tinkerbell', 'strawberry', 'washington', 'california',
  'terminator', 'enterprise', 'underground', 'skateboard', 'sunshine123', 'princess123', 'starwars123',
  'pokemon123', 'dragonball', 'doraemon123', 'michaeljordan', 'elizabeth1', 'jessica123',
  // this service and its suggestions
  'at-least-10-chars', 'kizuki1234', 'kizuki12345', 'kizuki123456', 'kizukikizuki', 'kizuki-password',
]);

/** The form a password is compared in: NFKC (ＰａｓｓＷＯＲＤ１２３ is password123), lower case, trimmed. */
function comparable(password: string): string {
  return password.normalize('NFKC').toLowerCase().trim();
}

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(comparable(password));
}

/** Different characters (code points, so an emoji counts once). */
export function distinctCharacters(password: string): number {
  return new Set(password).size;
}

export const PASSWORD_MESSAGES: Record<PasswordRule, string> = {
  whitespaceOnly: 'パスワードを入力してください（空白だけでは登録できません） / Enter a password (spaces alone do not count)',
  fewDistinctCharacters:
    `パスワードには${MIN_DISTINCT_CHARACTERS}種類以上の文字を使ってください（同じ文字の繰り返しは推測されやすいため） / ` +
    `Use at least ${MIN_DISTINCT_CHARACTERS} different characters in the password (repeated characters are easy to guess)`,
  commonPassword:
    'このパスワードはよく使われていて推測されやすいため使えません。別のパスワードにしてください / ' +
    'This password is one of the most common ones and easy to guess; choose another',
};

/**
 * Why this password is refused, or null when it is acceptable. Length is the schema's rule
 * (10–256 code points); this judges what it contains, the first failing rule in the order above.
 */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.trim() === '') return { rule: 'whitespaceOnly', message: PASSWORD_MESSAGES.whitespaceOnly };
  if (distinctCharacters(password) < MIN_DISTINCT_CHARACTERS) {
    return { rule: 'fewDistinctCharacters', limit: MIN_DISTINCT_CHARACTERS, message: PASSWORD_MESSAGES.fewDistinctCharacters };
  }
  if (isCommonPassword(password)) return { rule: 'commonPassword', message: PASSWORD_MESSAGES.commonPassword };
  return null;
}
