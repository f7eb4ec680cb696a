// What a company takes home from a session, and its Markdown and CSV forms (the printable page in
// the client shows the same data). Pure functions: the server builds ReportData, these format it.
import type { ElementId } from '../jcrm/elements.ts';

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
  event: { id: string; title: string; date: string; series: string | null };
  company: { eventCompanyId: string; name: string };
  philosophy: string;
  elementScoring: boolean;
  totals: Array<{ label: string; sum: number; max: number }>;
  elements: ReportElement[];
  /** The company's CRM practice assessment for this session (or its latest), if any. */
  assessment: ReportAssessment | null;
}

export interface ReportAssessment {
  title: string;
  points: number;
  max: number;
  answered: number;
  questions: number;
  categories: Array<{ title: string; points: number; max: number; answered: number; questions: number }>;
}

const STATUS_JA: Record<string, string> = { open: '未完了', done: '完了', carried: '次回に引き継ぎ', dropped: 'やめた' };

/** Escapes what Markdown would read as markup in a line of user text. */
function md(text: string): string {
  return text.replace(/([\\`*_[\]#|<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

export function reportMarkdown(report: ReportData): string {
  const lines: string[] = [];
  lines.push(`# ${md(report.company.name)} — ${md(report.event.title)}（${report.event.date}）`, '');
  if (report.event.series) lines.push(`シリーズ: ${md(report.event.series)}`, '');
  // The company's own 理念 statement; the 理念 element (its practices, score) follows under 項目ごと.
  lines.push('## 自社の理念', '', report.philosophy ? md(report.philosophy) : '（未記入）', '');
  if (report.elementScoring) {
    const others = [...new Set(report.elements.flatMap((e) => e.comparison.map((c) => c.company)))];
    lines.push('## スコア（0〜3）', '');
    lines.push(`| 項目 | ${md(report.company.name)} |${others.map((o) => ` ${md(o)} |`).join('')}`);
    lines.push(`|---|---|${others.map(() => '---|').join('')}`);
    for (const e of report.elements) {
      const cells = others.map((o) => {
        const value = e.comparison.find((c) => c.company === o)?.value;
        return ` ${value ?? '–'} |`;
      });
      lines.push(`| ${e.name} | ${e.score ?? '–'} |${cells.join('')}`);
    }
    for (const total of report.totals) lines.push(`| ${total.label} | ${total.sum}/${total.max} |${others.map(() => ' |').join('')}`);
    lines.push('');
  }
  lines.push('## 項目ごと', '');
  for (const e of report.elements) {
    lines.push(`### ${e.name}${report.elementScoring ? `（スコア ${e.score ?? '–'}）` : ''}`, '');
    for (const f of e.figures) lines.push(`- ${md(f.label)}: 自社 ${f.actual ?? '–'} ／ 目標イメージ ${md(f.target)}`);
    if (e.figures.length) lines.push('');
    const section = (title: string, items: string[]) => {
      if (items.length === 0) return;
      lines.push(`**${title}**`, '', ...items.map((i) => `- ${i}`), '');
    };
    section('出来ている施策と頻度', e.doing.map((d) => (d.frequency ? `${md(d.text)}（${md(d.frequency)}）` : md(d.text))));
    section('出来ていないこと', e.notYet.map(md));
    if (e.memo) lines.push('**メモ**', '', md(e.memo), '');
    section('気付き', e.cards.map(md));
    section(
      '持ち帰り',
      e.actions.map((a) => {
        const detail = [a.owner ? `担当: ${md(a.owner)}` : null, a.dueDate ? `期限: ${a.dueDate}` : null, STATUS_JA[a.status] ?? a.status].filter(Boolean).join('、');
        return `[${a.status === 'done' ? 'x' : ' '}] ${md(a.text)}（${detail}）`;
      }),
    );
  }
  if (report.assessment) {
    const a = report.assessment;
    lines.push(`## CRM実践度アセスメント: ${md(a.title)}`, '', `合計 ${a.points} / ${a.max}（回答 ${a.answered} / ${a.questions} 問）`, '');
    lines.push('| 分野 | 点数 | 満点 | 回答 |', '|---|---|---|---|');
    for (const c of a.categories) lines.push(`| ${md(c.title)} | ${c.points} | ${c.max} | ${c.answered}/${c.questions} |`);
    lines.push('');
  }
  lines.push(`---`, `Kizuki で作成（${report.generatedAt}）`, '');
  return lines.join('\n');
}

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text with a UTF-8 BOM (so Excel opens Japanese correctly) and CRLF line ends. */
export function toCsv(rows: Array<Array<string | number | null>>): string {
  return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The report as one table: section, element, content, detail. */
export function reportCsv(report: ReportData): string {
  const rows: Array<Array<string | number | null>> = [['区分', '項目', '内容', '補足']];
  rows.push(['会社', '', report.company.name, `${report.event.title}（${report.event.date}）`]);
  rows.push(['自社の理念', '', report.philosophy, '']);
  for (const e of report.elements) {
    if (report.elementScoring) rows.push(['スコア', e.name, e.score, e.comparison.map((c) => `${c.company}: ${c.value ?? '–'}`).join(' / ')]);
    for (const f of e.figures) rows.push(['実績', e.name, f.actual, `${f.label}（目標イメージ ${f.target}）`]);
    for (const d of e.doing) rows.push(['出来ている施策', e.name, d.text, d.frequency]);
    for (const n of e.notYet) rows.push(['出来ていないこと', e.name, n, '']);
    if (e.memo) rows.push(['メモ', e.name, e.memo, '']);
    for (const c of e.cards) rows.push(['気付き', e.name, c, '']);
    for (const a of e.actions) rows.push(['持ち帰り', e.name, a.text, [a.owner, a.dueDate, STATUS_JA[a.status] ?? a.status].filter(Boolean).join(' / ')]);
  }
  if (report.assessment) {
    const a = report.assessment;
    rows.push(['アセスメント', '合計', a.points, `${a.title}（満点 ${a.max}、回答 ${a.answered}/${a.questions}）`]);
    for (const c of a.categories) rows.push(['アセスメント', c.title, c.points, `満点 ${c.max}、回答 ${c.answered}/${c.questions}`]);
  }
  return toCsv(rows);
}
