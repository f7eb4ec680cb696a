// The take-home report's Markdown and CSV: quoting, BOM, line ends, escaping user text.
import { describe, expect, it } from 'vitest';
import { csvField, madeAt, reportCsv, reportMarkdown, scoresCsvHead, subtotalCells, toCsv, type ReportData } from '../../../shared/exports/report.ts';

const report: ReportData = {
  generatedAt: '2026-01-20T12:00:00.000Z',
  event: { id: 'e', title: '1月 定例会', date: '2026-01-20', series: 'JCRM 定例会' },
  company: { eventCompanyId: 'c', name: '青空通販' },
  philosophy: 'お客様の暮らしを\n豊かに',
  elementScoring: true,
  totals: [{ group: 'total', label: '合計', sum: 2, max: 30 }],
  elements: [
    {
      element: 'customers',
      name: '顧客',
      frame: '外枠',
      score: 2,
      figures: [{ label: '友達紹介制度 紹介率', target: '20%以上', actual: 12 }],
      doing: [{ text: '会員制度, "ゴールド"', frequency: '毎月' }],
      notYet: ['紹介制度'],
      memo: '',
      cards: ['*強調* じゃない | 表'],
      actions: [{ text: '紹介率を見る', owner: '佐藤', dueDate: '2026-02-10', status: 'open' }],
      comparison: [{ company: 'みどり本舗', value: 3 }],
    },
  ],
  assessment: { title: '2026年 診断', points: 7, max: 18, answered: 4, questions: 6, categories: [{ title: 'CRM導入の目的', points: 4, max: 6, answered: 2, questions: 2 }] },
};

describe('when a report was made', () => {
  it('is Japan’s time with its zone named, not UTC (12:00Z is 21:00 in Tokyo)', () => {
    expect(madeAt('2026-01-20T12:00:00.000Z', 'ja')).toBe('2026年1月20日 21:00 JST');
    expect(madeAt('2026-01-20T15:30:00.000Z', 'en')).toBe('21 Jan 2026, 00:30 JST');
    expect(reportMarkdown(report)).toContain('Kizuki で作成（2026年1月20日 21:00 JST）');
  });
});

describe('report exports', () => {
  it('CSV: BOM, CRLF, RFC 4180 quoting', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(toCsv([['a', 1], ['b', null]])).toBe('\uFEFFa,1\r\nb,\r\n');
    const csv = reportCsv(report);
    expect(csv.startsWith('\uFEFF区分,項目,内容,補足\r\n')).toBe(true);
    expect(csv).toContain('出来ている施策,顧客,"会員制度, ""ゴールド""",毎月');
    expect(csv).toContain('\r\n自社の理念,,"お客様の暮らしを\n豊かに",');
    expect(csv).toContain('スコア,顧客,2,\r\n他社スコア,顧客,3,みどり本舗');
    expect(csv).toContain('持ち帰り,顧客,紹介率を見る,佐藤 / 2026-02-10 / 未着手・進行中');
  });

  it('Markdown: sections, the comparison table, escaped user text', () => {
    const text = reportMarkdown(report);
    expect(text).toContain('# 青空通販 — 1月 定例会（2026-01-20）');
    expect(text).toContain('| 顧客 | 2 | 3 |');
    expect(text).toContain('- 会員制度, "ゴールド"（毎月）');
    expect(text).toContain('- \\*強調\\* じゃない \\| 表');
    expect(text).toContain('- [ ] 紹介率を見る（担当: 佐藤、期限: 2026-02-10、未着手・進行中）');
    expect(text).toContain('## 自社の理念\n\nお客様の暮らしを 豊かに');
    // The statement's heading says it is the company's own (the 理念 element has its own section).
    expect(text).not.toMatch(/^## 理念$/m);
    expect(text).toContain('合計 7 / 18（回答 4 / 6 問）');
    expect(text).toContain('| CRM導入の目的 | 4 | 6 | 2/2 |');
    expect(reportCsv(report)).toContain('アセスメント,CRM導入の目的,4,満点 6、回答 2/2');
  });

  it('Markdown: no line break form lets user text start a new line, and text cannot start a block where it is placed', () => {
    const breaks = ['\r', '\n', '\r\n', '\u2028', '\u2029', '\u0085', '\u000B', '\u000C'];
    for (const br of breaks) {
      const sneaky = `ふつうの文${br}# 偽の見出し${br}> 引用${br}- 項目${br}1. 番号${br}    コード`;
      const text = reportMarkdown({
        ...report,
        company: { ...report.company, name: `青空${br}# 偽` },
        philosophy: sneaky,
        elements: [{ ...report.elements[0]!, memo: sneaky, cards: [sneaky], notYet: [sneaky], actions: [{ text: sneaky, owner: `佐藤${br}## x`, dueDate: null, status: 'open' }] }],
      });
      const label = JSON.stringify(br);
      // Every line break in the output is the report's own LF; none of the others survives.
      expect(text, label).not.toMatch(/[\r\u2028\u2029\u0085\u000B\u000C]/);
      // Nothing the member typed begins a line as a heading, quote, list item or code block.
      for (const line of text.split('\n')) {
        expect(line, label).not.toMatch(/^(# 偽|#+ 偽の見出し|> 引用|- 項目|1\. 番号|\s{4}コード)/);
      }
      expect(text, label).toContain('## 自社の理念\n\nふつうの文 \\# 偽の見出し \\> 引用 - 項目 1. 番号     コード\n');
      expect(text, label).toContain('# 青空 \\# 偽 — ');
      expect(text, label).toContain('| 項目 | 青空 \\# 偽 | みどり本舗 |');
    }
  });

  it('Markdown: user text that begins a paragraph or a list item cannot start a block there', () => {
    const starts: Array<[string, string]> = [
      ['- 箇条書き', '\\- 箇条書き'],
      ['+ 箇条書き', '\\+ 箇条書き'],
      ['---', '\\---'],
      ['=== ', '\\=== '],
      ['> 引用', '\\> 引用'],
      ['# 見出し', '\\# 見出し'],
      ['12. 番号', '12\\. 番号'],
      ['3) 番号', '3\\) 番号'],
      ['    コード', 'コード'],
      ['\tコード', 'コード'],
      ['~~~', '\\~\\~\\~'],
      ['```', '\\`\\`\\`'],
      ['* * *', '\\* \\* \\*'],
      ['<div>', '\\<div\\>'],
      ['&copy; 2026', '\\&copy; 2026'],
    ];
    for (const [typed, shown] of starts) {
      const text = reportMarkdown({
        ...report,
        philosophy: typed,
        elements: [{ ...report.elements[0]!, memo: typed, cards: [typed], notYet: [typed], doing: [{ text: typed, frequency: '' }] }],
      });
      expect(text, typed).toContain(`## 自社の理念\n\n${shown}\n`); // a paragraph of its own
      expect(text, typed).toContain(`**メモ**\n\n${shown}\n`);
      expect(text, typed).toContain(`**気付き**\n\n- ${shown}\n`); // a list item's content
      expect(text, typed).toContain(`**出来ていないこと**\n\n- ${shown}\n`);
      expect(text, typed).toContain(`**出来ている施策と頻度**\n\n- ${shown}\n`);
    }
    // Within a line (a table cell, after a label) a leading '-' or digits are plain text: left as typed.
    const inCell = reportMarkdown({ ...report, company: { ...report.company, name: '- 1. 青空' } });
    expect(inCell).toContain('| 項目 | - 1. 青空 | みどり本舗 |');
  });

  it('leaves scores out when the session does not score elements', () => {
    const text = reportMarkdown({ ...report, elementScoring: false });
    expect(text).not.toContain('## スコア');
    expect(text).toContain('### 顧客\n');
    expect(reportCsv({ ...report, elementScoring: false })).not.toContain('スコア,');
  });

  it('in English: fixed names and headings translated, what people wrote kept as written', () => {
    const text = reportMarkdown(report, 'en');
    expect(text).toContain('# 青空通販 — 1月 定例会 (2026-01-20)');
    expect(text).toContain('## Our philosophy (理念)\n\nお客様の暮らしを 豊かに');
    expect(text).toContain('| Customers | 2 | 3 |');
    expect(text).toContain('| Total | 2/30 | 3/30 |');
    expect(text).toContain('### Customers (score 2)');
    expect(text).toMatch(/^- .+ — ours 12% ／ target 20%\+$/m);
    // The English label has a colon of its own: no second one after it.
    expect(text).not.toMatch(/: .*: ours/);
    expect(text).toContain('- [ ] 紹介率を見る (owner: 佐藤, due: 2026-02-10, open)');
    expect(text).toContain('Total 7 / 18 (4 of 6 questions answered)');
    expect(text).not.toMatch(/スコア|出来ている|持ち帰り|担当|未着手|外枠/);

    const csv = reportCsv(report, 'en');
    expect(csv.startsWith('\uFEFFSection,Element,Content,Detail\r\n')).toBe(true);
    expect(csv).toContain('Score,Customers,2,\r\nOther company’s score,Customers,3,みどり本舗');
    expect(csv).toContain('What we do,Customers,"会員制度, ""ゴールド""",毎月');
    expect(csv).toContain('Assessment,CRM導入の目的,4,"max 6, 2/2 answered"');
    expect(scoresCsvHead('en')).toEqual(['Company', 'Room', 'Philosophy', 'Culture', 'Consideration (care)', 'People', 'Uniqueness', 'Customers', 'Brand', 'Products & services', 'PR', 'Data', 'Inner frame', 'Outer frame', 'Total']);
    expect(scoresCsvHead()).toEqual(['会社', 'ルーム', '理念', '文化', '思いやり', '人材', '独自性', '顧客', 'ブランド', '商品・サービス', 'PR', 'データ', '内枠', '外枠', '合計']);
  });

  it("subtotals for every company shown, '–' while nothing of a frame is scored; figures with their unit", () => {
    const framed = { ...report, totals: [{ group: 'inner' as const, label: '内枠', sum: 0, max: 15 }, { group: 'outer' as const, label: '外枠', sum: 2, max: 15 }, { group: 'total' as const, label: '合計', sum: 2, max: 30 }] };
    expect(subtotalCells(framed)).toEqual([
      { own: '–', others: ['–'] },
      { own: '2/15', others: ['3/15'] },
      { own: '2/30', others: ['3/30'] },
    ]);
    const text = reportMarkdown(framed);
    expect(text).toContain('| 内枠 | – | – |');
    expect(text).toContain('| 外枠 | 2/15 | 3/15 |');
    expect(text).toContain('- 友達紹介制度 紹介率 — 自社 12% ／ 目標イメージ 20%以上');
  });

  it('CSV: text a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvField("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvField('@SUM(1+1)')).toBe("'@SUM(1+1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    // Full-width forms, which Japanese Excel can read as the ASCII ones.
    expect(csvField('＝SUM(1,1)')).toBe('"\'＝SUM(1,1)"');
    expect(csvField('＠ハイパーリンク')).toBe("'＠ハイパーリンク");
    expect(csvField('－会員制度')).toBe("'－会員制度");
    expect(csvField('ー長音で始まる')).toBe('ー長音で始まる');
    expect(csvField('\r=1+1')).toBe('"\'\r=1+1"');
    // Numbers written as numbers stay numbers; harmless text is untouched.
    expect(csvField(-2)).toBe('-2');
    expect(csvField(3)).toBe('3');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('–')).toBe('–');
    expect(toCsv([['=1+1', -1]])).toBe("\uFEFF'=1+1,-1\r\n");

    // What participants typed, wherever it lands in the report.
    const [element] = report.elements;
    const hostile: ReportData = {
      ...report,
      company: { ...report.company, name: '=HYPERLINK("http://evil.example")' },
      philosophy: '+1+1',
      elements: [{
        ...element!,
        doing: [{ text: '@SUM(1+1)', frequency: '-2+3' }],
        notYet: ['=1'],
        memo: '-memo',
        cards: ['=cmd'],
        actions: [{ text: '+act', owner: null, dueDate: null, status: 'open' }],
        comparison: [{ company: '@other', value: 3 }],
      }],
    };
    const lines = reportCsv(hostile).slice(1).split('\r\n');
    for (const line of lines) {
      // Every field (quoted or not) must not open with a formula character.
      for (const field of line.match(/("(?:[^"]|"")*"|[^,]*)(?=,|$)/g) ?? []) {
        expect(field.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    expect(lines).toContain('会社,,"\'=HYPERLINK(""http://evil.example"")",1月 定例会（2026-01-20）');
    expect(lines).toContain("自社の理念,,'+1+1,");
    expect(lines).toContain("他社スコア,顧客,3,'@other");
    expect(lines).toContain("出来ている施策,顧客,'@SUM(1+1),'-2+3");
    expect(lines).toContain("気付き,顧客,'=cmd,");
    expect(lines).toContain("メモ,顧客,'-memo,");
    expect(lines).toContain("持ち帰り,顧客,'+act,未着手・進行中");
  });
});
