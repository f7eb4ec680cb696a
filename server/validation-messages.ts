// Turns Fastify's schema validation errors (ajv) into what a person can act on: one message per
// failed field and rule, "日本語 / English" like every other API message, plus the machine-readable
// field, rule and limit so a client can point at the right input. Without this a 61-character name
// answered "body/displayName must NOT have more than 60 characters".

/** The parts of an ajv error we read (Fastify's FastifySchemaValidationError). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

export interface ValidationProblem {
  /** The request property at fault ("displayName", "eventId"), or the part ("body") when it is the whole. */
  field: string;
  /**
   * The schema rule it broke: maxLength, minLength, format, pattern, required, additionalProperties,
   * type, enum, …, or one of our text rules (server/text-rules.ts): controlCharacter (NUL or another
   * control character), invalidUnicode (a lone surrogate), lineBreak (a line break in a name),
   * bidiControl (a bidirectional control in a name), invisibleOnly (a name of invisible characters),
   * maxDepth (arrays and objects nested deeper than `limit`, field "body" or "payload").
   */
  rule: string;
  /** The number in the rule (maxLength 60 → 60), when it has one. */
  limit?: number;
  /** For rule "format": email, date, uuid. */
  format?: string;
  message: string;
}

type Label = { ja: string; en: string };

const LABELS: Record<string, Label> = {
  displayName: { ja: '名前', en: 'Name' },
  email: { ja: 'メールアドレス', en: 'Email address' },
  password: { ja: 'パスワード', en: 'Password' },
  title: { ja: 'タイトル', en: 'Title' },
  date: { ja: '日付', en: 'Date' },
  kind: { ja: '形式', en: 'Format' },
  theme: { ja: 'テーマ', en: 'Theme' },
  coveredElements: { ja: '扱う項目', en: 'Covered elements' },
  code: { ja: '参加コード', en: 'Join code' },
  companyName: { ja: '会社名', en: 'Company name' },
  name: { ja: '会社名', en: 'Company name' },
  companyId: { ja: '会社', en: 'Company' },
  eventCompanyId: { ja: '会社', en: 'Company' },
  roomId: { ja: 'ルーム', en: 'Room' },
  companiesLocked: { ja: '受付の締め切り', en: 'Registration lock' },
  eventId: { ja: 'イベント', en: 'Session' },
  userId: { ja: 'メンバー', en: 'Member' },
  requestId: { ja: '参加申請', en: 'Join request' },
  text: { ja: '内容', en: 'Text' },
  sourceCardId: { ja: '元のカード', en: 'Source card' },
  categories: { ja: 'カテゴリーと質問', en: 'Categories and questions' },
  // socket.io payloads
  cardId: { ja: 'カード', en: 'Card' },
  docName: { ja: 'ドキュメント', en: 'Document' },
  element: { ja: '項目', en: 'Element' },
  helpId: { ja: 'ヘルプの呼び出し', en: 'Help request' },
  spotlight: { ja: '注目表示', en: 'Spotlight' },
  value: { ja: '点数', en: 'Score' },
  on: { ja: 'リアクション', en: 'Reaction' },
  phase: { ja: '進行段階', en: 'Phase' },
  seconds: { ja: '秒数', en: 'Seconds' },
  size: { ja: '1ルームの会社数', en: 'Companies per room' },
  steps: { ja: '進行ステップ', en: 'Agenda steps' },
  target: { ja: '呼び出し先', en: 'Target' },
  keepApart: { ja: '別ルームにする会社', en: 'Companies to keep apart' },
  presentOnly: { ja: '出席中の会社だけ', en: 'Present companies only' },
  roomMode: { ja: 'ルームの形式', en: 'Room mode' },
  scoresHidden: { ja: '点数の非表示', en: 'Hidden scores' },
  elementScoring: { ja: '項目の採点', en: 'Element scoring' },
};

const ROOM_NAME: Label = { ja: 'ルーム名', en: 'Room name' };

/** Where a field name means something else (a room's name is not a company's); socket.io events by their name. */
const ROUTE_LABELS: Record<string, Record<string, Label>> = {
  '/api/events/:eventId/rooms': { name: ROOM_NAME },
  'room:create': { name: ROOM_NAME },
  'room:rename': { name: ROOM_NAME },
  'agenda:set': { steps: { ja: 'ステップ名', en: 'Step title' } },
  'banner:send': { text: { ja: 'メッセージ', en: 'Message' } },
  'help:request': { text: { ja: 'ヘルプの内容', en: 'Help request' } },
};

const FORMAT_EXAMPLES: Record<string, Label> = {
  email: { ja: '例: name@example.jp', en: 'e.g. name@example.jp' },
  date: { ja: '例: 2026-12-01', en: 'e.g. 2026-12-01' },
};

/**
 * The one problem to tell the person about. ajv stops at the first failure, except inside a union
 * (anyOf) where it reports every branch: then the most specific one (a field's own rule) wins.
 * `route` is the HTTP route's URL pattern, or the socket.io event's name.
 */
export function describeValidation(errors: readonly SchemaError[], context = 'body', route?: string): ValidationProblem {
  const real = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const fieldRule = real.find((e) => e.keyword !== 'required' && e.instancePath !== '');
  const missing = real.filter((e) => e.keyword === 'required');
  const chosen = fieldRule ?? real[0] ?? errors[0];
  if (!chosen) return problem(context, 'invalid', undefined, { ja: 'リクエストの内容が正しくありません', en: 'The request is not valid' });

  // A union whose every branch wants a different property: "companyId or name".
  if (!fieldRule && missing.length > 1) {
    const labels = missing.map((e) => labelOf(String(e.params.missingProperty), route));
    const field = String(missing[0]!.params.missingProperty);
    return problem(field, 'required', undefined, {
      ja: `${labels.map((l) => l.ja).join('または')}を指定してください`,
      en: `Give ${labels.map((l) => lower(l.en)).join(' or ')}`,
    });
  }

  const path = chosen.instancePath.split('/').filter((s) => s !== '');
  const key = chosen.keyword === 'required' ? String(chosen.params.missingProperty) : chosen.keyword === 'additionalProperties' ? String(chosen.params.additionalProperty) : path[0];
  const field = key ?? context;
  const label = key ? labelOf(key, route) : { ja: 'リクエストの本文', en: 'The request body' };
  const limit = typeof chosen.params.limit === 'number' ? chosen.params.limit : undefined;
  const text = messageFor(chosen, label, limit, context);
  const result = problem(field, ruleOf(chosen.keyword), limit, text);
  if (chosen.keyword === 'format') result.format = String(chosen.params.format);
  return result;
}

function messageFor(error: SchemaError, label: Label, limit: number | undefined, context: string): Label {
  const { ja, en } = label;
  switch (error.keyword) {
    case 'maxLength':
      return { ja: `${ja}は${limit}文字以内で入力してください`, en: `${en} must be at most ${limit} characters` };
    case 'minLength':
      return limit === 1
        ? { ja: `${ja}を入力してください`, en: `Enter ${lower(en)}` }
        : { ja: `${ja}は${limit}文字以上で入力してください`, en: `${en} must be at least ${limit} characters` };
    case 'pattern':
      // Names and titles must hold something besides spaces.
      return error.params.pattern === '\\S'
        ? { ja: `${ja}を入力してください（空白だけでは登録できません）`, en: `Enter ${lower(en)} (spaces alone do not count)` }
        : { ja: `${ja}の形式が正しくありません`, en: `${en} is not in the right form` };
    case 'format': {
      const format = String(error.params.format);
      if (format === 'uuid') {
        return context === 'params'
          ? { ja: 'リンクが正しくありません。URL が途中で切れていないか確認してください', en: 'This link is broken. Check that the URL is complete' }
          : { ja: `${ja}の指定が正しくありません。画面を再読み込みして、もう一度お試しください`, en: `${en} is not valid. Reload the page and try again` };
      }
      const example = FORMAT_EXAMPLES[format];
      return example
        ? { ja: `${ja}の形式が正しくありません（${example.ja}）`, en: `${en} is not valid (${example.en})` }
        : { ja: `${ja}の形式が正しくありません`, en: `${en} is not valid` };
    }
    case 'required':
      return { ja: `${ja}を入力してください`, en: `${en} is required` };
    case 'additionalProperties':
      return {
        ja: `「${String(error.params.additionalProperty)}」という項目は受け付けていません`,
        en: `Unknown field "${String(error.params.additionalProperty)}" (no additional properties allowed)`,
      };
    case 'type':
      if (error.instancePath === '' && context === 'payload') {
        return { ja: '送信内容はオブジェクトで送ってください', en: 'The payload must be an object' };
      }
      return error.instancePath === ''
        ? { ja: 'リクエストの本文は JSON のオブジェクトで送ってください', en: 'The request body must be a JSON object' }
        : { ja: `${ja}の値の種類が正しくありません`, en: `${en} must be a ${String(error.params.type)}` };
    case 'enum':
    case 'const':
      return { ja: `${ja}は決められた選択肢から選んでください`, en: `${en} must be one of the offered choices` };
    case 'minimum':
      return { ja: `${ja}は${limit}以上で指定してください`, en: `${en} must be at least ${limit}` };
    case 'maximum':
      return { ja: `${ja}は${limit}以下で指定してください`, en: `${en} must be at most ${limit}` };
    case 'maxItems':
      return { ja: `${ja}は${limit}個までです`, en: `${en}: at most ${limit}` };
    case 'uniqueItems':
      return { ja: `${ja}に同じものが重複しています`, en: `${en} has duplicates` };
    case 'controlCharacter':
      return { ja: `${ja}に使えない文字（制御文字）が含まれています`, en: `${en} contains a control character that is not allowed` };
    case 'invalidUnicode':
      return { ja: `${ja}に壊れた文字（対になっていないサロゲート）が含まれています`, en: `${en} contains a broken character (an unpaired surrogate)` };
    case 'lineBreak':
      return { ja: `${ja}に改行は使えません。1行で入力してください`, en: `${en} must be on one line, without line breaks` };
    case 'bidiControl':
      return {
        ja: `${ja}に文字の表示順を変える制御文字（LRM・RLO など）は使えません`,
        en: `${en} must not contain characters that change the display order of text (bidi controls such as LRM or RLO)`,
      };
    case 'invisibleOnly':
      return {
        ja: `${ja}を入力してください（見えない文字だけでは登録できません）`,
        en: `Enter ${lower(en)} (invisible characters alone do not count)`,
      };
    case 'maxDepth':
      return context === 'payload'
        ? { ja: `送信内容の入れ子が深すぎます（${limit}段まで）`, en: `The payload is nested too deeply (at most ${limit} levels)` }
        : { ja: `リクエストの本文の入れ子が深すぎます（${limit}段まで）`, en: `The request body is nested too deeply (at most ${limit} levels)` };
    case 'minProperties':
      return { ja: '変更する項目を指定してください', en: 'Give at least one field to change' };
    default:
      return { ja: `${ja}の値が正しくありません`, en: `${en} is not valid` };
  }
}

/** The parts of a TypeBox (typebox/compile) error we read. */
export interface TypeBoxError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/**
 * TypeBox's errors (socket.io payloads) in ajv's shape, so both edges answer alike. TypeBox lists
 * every missing property in one error and reports an unknown property twice (a "boolean" error for
 * the property, then "additionalProperties" for the object); ajv names one of each.
 */
export function fromTypeBoxErrors(errors: readonly TypeBoxError[]): SchemaError[] {
  const result: SchemaError[] = [];
  // A value matching no branch of a union of literals (a score 0–3 or null) is a wrong choice; TypeBox
  // says "must be number" for the first branch, which would mislead when null is allowed too.
  for (const error of errors) {
    const { instancePath, params } = error;
    const branch = instancePath !== '' && /\/anyOf\/\d+$/.test(error.schemaPath);
    const keyword = branch && error.keyword === 'type' ? 'const' : error.keyword;
    if (keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) continue;
    if (keyword === 'required') {
      const missing = Array.isArray(params.requiredProperties) ? params.requiredProperties : [];
      result.push({ keyword, instancePath, params: { missingProperty: String(missing[0] ?? '') } });
    } else if (keyword === 'additionalProperties') {
      const extra = Array.isArray(params.additionalProperties) ? params.additionalProperties : [];
      result.push({ keyword, instancePath, params: { additionalProperty: String(extra[0] ?? '') } });
    } else {
      result.push({ keyword, instancePath, params });
    }
  }
  return result;
}

function labelOf(field: string, route: string | undefined): Label {
  return (route ? ROUTE_LABELS[route]?.[field] : undefined) ?? LABELS[field] ?? { ja: field, en: field };
}

function ruleOf(keyword: string): string {
  return keyword === 'const' ? 'enum' : keyword;
}

function problem(field: string, rule: string, limit: number | undefined, text: Label): ValidationProblem {
  return { field, rule, ...(limit === undefined ? {} : { limit }), message: `${text.ja} / ${text.en}` };
}

/** "Company name" → "company name" inside a sentence (labels that are not proper nouns). */
function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
