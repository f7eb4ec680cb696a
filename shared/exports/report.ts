// What a company takes home from a session, and its Markdown and CSV forms (the printable page in
// the client shows the same data). Pure functions: the server builds ReportData (in Japanese),
// these format it in Japanese or English (what people typed stays as typed).
import { ELEMENTS, formatTarget, type ElementId, type TargetFigure } from '../jcrm/elements.ts';
import { defaultRoomNumber } from '../meetup/room-name.ts';
import { subtotalShown, subtotals, type CompanyScores, type ScoreValue, type SubtotalGroup } from '../jcrm/scoring.ts';
import { isThemed, sortByTheme, themeElements, themeOrder, themeSubtotalShown, themeSubtotalText } from '../jcrm/theme.ts';

export type ReportLanguage = 'ja' | 'en';

export interface ReportElement {
  element: ElementId;
  name: string;
  frame: string;
  score: number | null;
  /** 目標イメージ beside the company's own figure. */
  figures: Array<{ label: string; target: string; actual: number | null }>;
  doing: Array<{ text: string; frequency: string }>;
  notYet: string[];
  memo: string;
  cards: string[];
  actions: Array<{ text: string; owner: string | null; dueDate: string | null; status: string }>;
  /** Other companies' scores the viewer may see (hidden ones are left out). */
  comparison: Array<{ company: string; value: number | null }>;
}

export interface ReportData {
  generatedAt: string;
  /** `theme`: the session's theme as the facilitator wrote it (absent in reports made before it was sent). */
  event: { id: string; title: string; date: string; series: string | null; theme?: string | null };
  company: { eventCompanyId: string; name: string };
  philosophy: string;
  elementScoring: boolean;
  /** The viewer's company's subtotals; `group` says which (the label is for people). */
  totals: Array<{ group: SubtotalGroup; label: string; sum: number; max: number }>;
  elements: ReportElement[];
  /** The company's CRM practice assessment for this session (or its latest), if any. */
  assessment: ReportAssessment | null;
  /**
   * The elements the session covers (EventDetail.coveredElements); absent or empty = all. With a
   * theme the report lists them first and shows a subtotal over them before 内枠/外枠/合計.
   */
  coveredElements?: ElementId[];
}

export interface ReportAssessment {
  title: string;
  points: number;
  max: number;
  answered: number;
  questions: number;
  categories: Array<{ title: string; points: number; max: number; answered: number; questions: number }>;
}

/**
 * When a download was made, in Japan's time (the sessions' members are Japanese companies; the
 * file carries no browser to ask), named so a reader elsewhere is not misled: 「2026年12月4日 23:41 JST」.
 */
export function madeAt(iso: string, lang: ReportLanguage): string {
  const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: lang === 'en' ? 'medium' : 'long', timeStyle: 'short' });
  return `${format.format(new Date(iso))} JST`;
}

const WORDS = {
  ja: {
    series: 'シリーズ', philosophy: '自社の理念', notFilled: '（未記入）', scores: 'スコア（0〜3）', element: '項目',
    byElement: '項目ごと', scoreOf: (score: string) => `（スコア ${score}）`, own: '自社', target: '目標イメージ',
    doing: '出来ている施策と頻度', notYet: '出来ていないこと', memo: 'メモ', cards: '気付き', actions: '持ち帰り',
    owner: '担当', due: '期限', listSeparator: '、', paren: (text: string) => `（${text}）`,
    assessment: 'CRM実践度アセスメント', assessmentTotal: (a: ReportAssessment) => `合計 ${a.points} / ${a.max}（回答 ${a.answered} / ${a.questions} 問）`,
    assessmentHead: '| 分野 | 点数 | 満点 | 回答 |', madeWith: (at: string) => `Kizuki で作成（${at}）`,
    status: { open: '未着手・進行中', done: '完了', carried: '次回に引き継ぎ', dropped: 'やめた' } as Record<string, string>,
    frame: { 内枠: '内枠', 外枠: '外枠', 合計: '合計' } as Record<string, string>,
    csvHead: ['区分', '項目', '内容', '補足'], csvDoing: '出来ている施策', company: '会社', score: 'スコア', otherScore: '他社スコア', room: 'ルーム', actual: '実績', assessmentRow: 'アセスメント', total: '合計',
    assessmentDetail: (a: ReportAssessment) => `${a.title}（満点 ${a.max}、回答 ${a.answered}/${a.questions}）`,
    categoryDetail: (c: { max: number; answered: number; questions: number }) => `満点 ${c.max}、回答 ${c.answered}/${c.questions}`,
    themeSubtotal: 'テーマ項目', themeTitle: (title: string) => `テーマ: ${title}`, themeLine: (names: string[]) => `扱う項目: ${names.join('、')}（先に載せています）`,
    notCovered: (names: string[]) => `扱わなかった項目（記入なし）: ${names.join('、')}`,
  },
  en: {
    series: 'Series', philosophy: 'Our philosophy (理念)', notFilled: '(not filled in)', scores: 'Scores (0–3)', element: 'Element',
    byElement: 'By element', scoreOf: (score: string) => ` (score ${score})`, own: 'ours', target: 'target',
    doing: 'What we do, and how often', notYet: "What we don't do yet", memo: 'Memo', cards: 'Insights (気付き)', actions: 'Take-home actions',
    owner: 'owner', due: 'due', listSeparator: ', ', paren: (text: string) => ` (${text})`,
    assessment: 'CRM practice assessment', assessmentTotal: (a: ReportAssessment) => `Total ${a.points} / ${a.max} (${a.answered} of ${a.questions} questions answered)`,
    assessmentHead: '| Area | Points | Max | Answered |', madeWith: (at: string) => `Made with Kizuki (${at})`,
    status: { open: 'open', done: 'done', carried: 'carried to next time', dropped: 'dropped' } as Record<string, string>,
    frame: { 内枠: 'Inner frame', 外枠: 'Outer frame', 合計: 'Total' } as Record<string, string>,
    csvHead: ['Section', 'Element', 'Content', 'Detail'], csvDoing: 'What we do', company: 'Company', score: 'Score', otherScore: 'Other company’s score', room: 'Room', actual: 'Figure', assessmentRow: 'Assessment', total: 'Total',
    assessmentDetail: (a: ReportAssessment) => `${a.title} (max ${a.max}, ${a.answered}/${a.questions} answered)`,
    categoryDetail: (c: { max: number; answered: number; questions: number }) => `max ${c.max}, ${c.answered}/${c.questions} answered`,
    themeSubtotal: 'Theme elements', themeTitle: (title: string) => `Theme: ${title}`, themeLine: (names: string[]) => `Elements covered: ${names.join(', ')} (listed first)`,
    notCovered: (names: string[]) => `Not covered this time (nothing written): ${names.join(', ')}`,
  },
};

/**
 * The report's fixed names (elements, frames, subtotals, figures and their 目標イメージ) in the
 * language asked for; the n-th figure is its element's n-th target.
 */
export function localizeReport(report: ReportData, lang: ReportLanguage): ReportData {
  if (lang === 'ja') return report;
  const frame = (label: string) => WORDS.en.frame[label] ?? label;
  return {
    ...report,
    totals: report.totals.map((t) => ({ ...t, label: frame(t.label) })),
    elements: report.elements.map((e) => {
      const element = ELEMENTS.find((x) => x.id === e.element);
      return {
        ...e,
        name: element?.name.en ?? e.name,
        frame: frame(e.frame),
        figures: e.figures.map((f, n) => {
          const target = element?.targets[n];
          return target ? { ...f, label: target.label.en, target: formatTarget(target, 'en') } : f;
        }),
      };
    }),
  };
}

/**
 * Every form of line break: CRLF, a lone CR or LF (each ends a line in Markdown), and VT, FF, NEL,
 * U+2028 and U+2029 (which editors and some renderers take as one). One space each: user text
 * stays on the line it was put on.
 */
const ANY_LINE_BREAK = /\r\n|[\n\r\u000B\u000C\u0085\u2028\u2029]/g;

/**
 * A line of user text placed after other text on its line (a table cell, a heading, after a
 * label): what Markdown would read as inline markup is escaped (emphasis, code, links, HTML,
 * strikethrough, table pipes, entity references like `&amp;`), every line break is a space.
 */
function md(text: string): string {
  return text
    .replace(/([\\`*_[\]#|<>~])/g, '\\$1')
    .replace(/&(?=#?[0-9A-Za-z]+;)/g, '\\&')
    .replace(ANY_LINE_BREAK, ' ');
}

/**
 * User text that begins a block: a paragraph of its own or a list item's content. As md(), and
 * it cannot start a block there either: no indentation (four spaces would be a code block), and a
 * leading `-`, `+` or `=` (list, thematic break, setext underline) and the `.` or `)` after leading
 * digits (ordered list) are escaped; `#`, `>`, `*`, `_`, `~`, backticks and `<` already are.
 */
function mdBlock(text: string): string {
  return md(text)
    .replace(/^[ \t]+/, '')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** The companies whose scores the viewer may see beside their own, in the order first met. */
export function otherCompanies(report: ReportData): string[] {
  return [...new Set(report.elements.flatMap((e) => e.comparison.map((c) => c.company)))];
}

/**
 * Each subtotal row for the viewer's company and every other shown: "sum/max", or "–" while
 * nothing of it is scored (or revealed), as the board and the plenary show it (never 0/15).
 */
export function subtotalCells(report: ReportData): Array<{ own: string; others: string[] }> {
  const scoresOf = (value: (e: ReportElement) => number | null | undefined): CompanyScores =>
    Object.fromEntries(report.elements.flatMap((e) => {
      const v = value(e);
      return v === null || v === undefined ? [] : [[e.element, v as ScoreValue]];
    }));
  const own = scoresOf((e) => e.score);
  const others = otherCompanies(report).map((company) => scoresOf((e) => e.comparison.find((c) => c.company === company)?.value));
  const cell = (scores: CompanyScores, group: SubtotalGroup): string => {
    const shown = subtotalShown(scores, group);
    return shown.kind === 'sum' ? `${shown.sum}/${shown.max}` : '–';
  };
  return report.totals.map((t) => ({ own: cell(own, t.group), others: others.map((o) => cell(o, t.group)) }));
}

/**
 * The report in the session's theme order: the covered elements first (the rest after them, in
 * diagram order). Unchanged without a theme. Use it for the JSON form too.
 */
export function themedReport(report: ReportData): ReportData {
  if (!isThemed(report.coveredElements)) return report;
  return { ...report, elements: sortByTheme(report.elements, (e) => e.element, report.coveredElements) };
}

/** Nothing of the company's in this element: no score, no figure, no worksheet line, memo, card or action. */
export function isEmptyElement(e: ReportElement): boolean {
  return (
    e.score === null &&
    e.figures.every((f) => f.actual === null) &&
    e.doing.length === 0 &&
    e.notYet.length === 0 &&
    !e.memo.trim() &&
    e.cards.length === 0 &&
    e.actions.length === 0
  );
}

/**
 * Which elements get a full section and which fold into one line: with a theme, an element the
 * session did not cover and that holds nothing is folded; the covered ones always get a section
 * (first). Without a theme every element gets one, as before.
 */
export function reportSections(report: ReportData): { full: ReportElement[]; folded: ReportElement[] } {
  const theme = new Set(themeElements(report.coveredElements));
  const ordered = themedReport(report).elements;
  if (theme.size === 0) return { full: ordered, folded: [] };
  const folded = ordered.filter((e) => !theme.has(e.element) && isEmptyElement(e));
  return { full: ordered.filter((e) => !folded.includes(e)), folded };
}

/**
 * The subtotal over the theme's elements for the viewer's company and every other shown
 * (「4/6」 or 「–」), shown before 内枠/外枠/合計; null when the session covers every element.
 */
export function themeSubtotalCells(report: ReportData): { own: string; others: string[] } | null {
  if (!isThemed(report.coveredElements)) return null;
  const scoresOf = (value: (e: ReportElement) => number | null | undefined): CompanyScores =>
    Object.fromEntries(report.elements.flatMap((e) => {
      const v = value(e);
      return v === null || v === undefined ? [] : [[e.element, v as ScoreValue]];
    }));
  const cell = (scores: CompanyScores) => themeSubtotalText(scores, report.coveredElements) ?? '–';
  return {
    own: cell(scoresOf((e) => e.score)),
    others: otherCompanies(report).map((company) => cell(scoresOf((e) => e.comparison.find((c) => c.company === company)?.value))),
  };
}

/** A company's own figure with the unit of its 目標イメージ: 12 → 「12%」, 3 → 「3年」 / "3 years". */
export function formatActual(actual: number | null, target: Pick<TargetFigure, 'unit'> | undefined, lang: ReportLanguage): string {
  if (actual === null) return '–';
  if (!target) return String(actual);
  if (target.unit === '%') return `${actual}%`;
  return lang === 'en' ? `${actual} years` : `${actual}年`;
}

const targetOf = (e: ReportElement, n: number) => ELEMENTS.find((x) => x.id === e.element)?.targets[n];

export function reportMarkdown(data: ReportData, lang: ReportLanguage = 'ja'): string {
  const w = WORDS[lang];
  const report = themedReport(localizeReport(data, lang));
  const sections = reportSections(report);
  const themeCells = themeSubtotalCells(report);
  const lines: string[] = [];
  lines.push(`# ${md(report.company.name)} — ${md(report.event.title)}${w.paren(report.event.date)}`, '');
  if (report.event.series) lines.push(`${w.series}: ${md(report.event.series)}`, '');
  const theme = themeElements(report.coveredElements);
  if (report.event.theme) lines.push(w.themeTitle(md(report.event.theme)), '');
  if (theme.length > 0) lines.push(w.themeLine(theme.map((id) => report.elements.find((e) => e.element === id)?.name ?? id)), '');
  // The company's own 理念 statement; the 理念 element (its practices, score) follows by element.
  lines.push(`## ${w.philosophy}`, '', report.philosophy ? mdBlock(report.philosophy) : w.notFilled, '');
  if (report.elementScoring) {
    const others = otherCompanies(report);
    const subtotalRows = subtotalCells(report);
    lines.push(`## ${w.scores}`, '');
    lines.push(`| ${w.element} | ${md(report.company.name)} |${others.map((o) => ` ${md(o)} |`).join('')}`);
    lines.push(`|---|---|${others.map(() => '---|').join('')}`);
    for (const e of report.elements) {
      const cells = others.map((o) => {
        const value = e.comparison.find((c) => c.company === o)?.value;
        return ` ${value ?? '–'} |`;
      });
      lines.push(`| ${e.name} | ${e.score ?? '–'} |${cells.join('')}`);
    }
    if (themeCells) lines.push(`| **${w.themeSubtotal}** | **${themeCells.own}** |${themeCells.others.map((c) => ` ${c} |`).join('')}`);
    report.totals.forEach((total, i) => lines.push(`| ${total.label} | ${subtotalRows[i]!.own} |${subtotalRows[i]!.others.map((c) => ` ${c} |`).join('')}`));
    lines.push('');
  }
  lines.push(`## ${w.byElement}`, '');
  for (const e of sections.full) {
    lines.push(`### ${e.name}${report.elementScoring ? w.scoreOf(String(e.score ?? '–')) : ''}`, '');
    e.figures.forEach((f, n) => lines.push(`- ${mdBlock(f.label)} — ${w.own} ${formatActual(f.actual, targetOf(e, n), lang)} ／ ${w.target} ${md(f.target)}`));
    if (e.figures.length) lines.push('');
    // Each item is a list item's content (so its user text begins a block: mdBlock).
    const section = (title: string, items: string[]) => {
      if (items.length === 0) return;
      lines.push(`**${title}**`, '', ...items.map((i) => `- ${i}`), '');
    };
    section(w.doing, e.doing.map((d) => (d.frequency ? `${mdBlock(d.text)}${w.paren(md(d.frequency))}` : mdBlock(d.text))));
    section(w.notYet, e.notYet.map(mdBlock));
    if (e.memo) lines.push(`**${w.memo}**`, '', mdBlock(e.memo), '');
    section(w.cards, e.cards.map(mdBlock));
    section(
      w.actions,
      e.actions.map((a) => {
        const detail = [a.owner ? `${w.owner}: ${md(a.owner)}` : null, a.dueDate ? `${w.due}: ${a.dueDate}` : null, w.status[a.status] ?? a.status].filter(Boolean).join(w.listSeparator);
        // After the task box, within the item's paragraph: inline text (md).
        return `[${a.status === 'done' ? 'x' : ' '}] ${md(a.text)}${w.paren(detail)}`;
      }),
    );
  }
  if (sections.folded.length > 0) lines.push(w.notCovered(sections.folded.map((e) => e.name)), '');
  if (report.assessment) {
    const a = report.assessment;
    lines.push(`## ${w.assessment}: ${md(a.title)}`, '', w.assessmentTotal(a), '');
    lines.push(w.assessmentHead, '|---|---|---|---|');
    for (const c of a.categories) lines.push(`| ${md(c.title)} | ${c.points} | ${c.max} | ${c.answered}/${c.questions} |`);
    lines.push('');
  }
  lines.push(`---`, w.madeWith(madeAt(report.generatedAt, lang)), '');
  return lines.join('\n');
}

/**
 * The first characters a spreadsheet reads as the start of a formula (OWASP "CSV Injection"), and
 * their full-width forms (＝＋－＠), which Japanese Excel can turn into the ASCII ones.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Text a spreadsheet would run as a formula (a company named `=HYPERLINK(…)`, a card `@SUM(1+1)`)
 * gets a leading `'` so it shows as typed; numbers written as numbers stay numbers.
 */
function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field: text defused against formula injection, then quoted when it holds a comma,
 * quote or line break (RFC 4180).
 */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : defuseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text with a UTF-8 BOM (so Excel opens Japanese correctly) and CRLF line ends. */
export function toCsv(rows: Array<Array<string | number | null>>): string {
  return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The report as one table: section, element, content, detail. */
export function reportCsv(data: ReportData, lang: ReportLanguage = 'ja'): string {
  const w = WORDS[lang];
  const report = themedReport(localizeReport(data, lang));
  const rows: Array<Array<string | number | null>> = [w.csvHead];
  rows.push([w.company, '', report.company.name, `${report.event.title}${w.paren(report.event.date)}`]);
  rows.push([w.philosophy, '', report.philosophy, '']);
  for (const e of report.elements) {
    if (report.elementScoring) {
      rows.push([w.score, e.name, e.score, '']);
      // One row per other company that scored it (its name in the last column), so a spreadsheet can filter them.
      for (const c of e.comparison) if (c.value !== null) rows.push([w.otherScore, e.name, c.value, c.company]);
    }
    for (const f of e.figures) rows.push([w.actual, e.name, f.actual, `${f.label}${w.paren(`${w.target} ${f.target}`)}`]);
    for (const d of e.doing) rows.push([w.csvDoing, e.name, d.text, d.frequency]);
    for (const n of e.notYet) rows.push([w.notYet, e.name, n, '']);
    if (e.memo) rows.push([w.memo, e.name, e.memo, '']);
    for (const c of e.cards) rows.push([w.cards, e.name, c, '']);
    for (const a of e.actions) rows.push([w.actions, e.name, a.text, [a.owner, a.dueDate, w.status[a.status] ?? a.status].filter(Boolean).join(' / ')]);
  }
  if (report.assessment) {
    const a = report.assessment;
    rows.push([w.assessmentRow, w.total, a.points, w.assessmentDetail(a)]);
    for (const c of a.categories) rows.push([w.assessmentRow, c.title, c.points, w.categoryDetail(c)]);
  }
  return toCsv(rows);
}

/**
 * The facilitators' table of every company's scores in a session (with its room), with the
 * subtotals. A themed session's elements come first, then a 「テーマ項目」 subtotal over them, as on
 * the board; 内枠/外枠/合計 stay the method's own.
 */
export function scoresCsvHead(lang: ReportLanguage = 'ja', covered: readonly ElementId[] = []): string[] {
  const frame = WORDS[lang].frame;
  const theme = isThemed(covered) ? [WORDS[lang].themeSubtotal] : [];
  return [WORDS[lang].company, WORDS[lang].room, ...themeOrder(covered).map(({ element }) => element.name[lang]), ...theme, frame['内枠']!, frame['外枠']!, frame['合計']!];
}

/** One company's row of that table: an element or frame with nothing scored is empty, not 0. */
export function scoresCsvRow(company: string, room: string, scores: CompanyScores, covered: readonly ElementId[] = []): Array<string | number | null> {
  const totals = subtotals(scores);
  const sums = [totals.inner, totals.outer, totals.total].map((t) => (t.scored > 0 ? t.sum : null));
  const themed = themeSubtotalShown(scores, covered);
  const theme = themed ? [themed.kind === 'sum' ? themed.sum : null] : [];
  return [company, room, ...themeOrder(covered).map(({ element }) => scores[element.id] ?? null), ...theme, ...sums];
}

/** A room's name in a download: the server's own 「ルーム N」 reads "Room N" in English. */
export function roomCell(name: string | null, lang: ReportLanguage = 'ja'): string {
  if (name === null) return '';
  const n = defaultRoomNumber(name);
  return n !== null && lang === 'en' ? `${WORDS.en.room} ${n}` : name;
}
