// The take-home report of a themed session (covers 顧客 and データ only): the covered elements
// first, a 「テーマ項目」 subtotal before 内枠/外枠/合計, and the uncovered empty elements in one line.
import { describe, expect, it } from 'vitest';
import { ELEMENTS } from '../../../shared/jcrm/elements.ts';
import { isEmptyElement, reportCsv, reportMarkdown, reportSections, scoresCsvHead, scoresCsvRow, themeSubtotalCells, themedReport, type ReportData, type ReportElement } from '../../../shared/exports/report.ts';

const element = (id: (typeof ELEMENTS)[number]['id'], extra: Partial<ReportElement> = {}): ReportElement => {
  const e = ELEMENTS.find((x) => x.id === id)!;
  return {
    element: id, name: e.name.ja, frame: e.frame === 'inner' ? '内枠' : '外枠', score: null,
    figures: e.targets.map((t) => ({ label: t.label.ja, target: '', actual: null })),
    doing: [], notYet: [], memo: '', cards: [], actions: [], comparison: [{ company: 'みどり本舗', value: null }],
    ...extra,
  };
};

const themed: ReportData = {
  generatedAt: '2026-12-04T12:00:00.000Z',
  event: { id: 'e', title: '12月 オンライン交流会', date: '2026-12-04', series: null },
  company: { eventCompanyId: 'c', name: '青空通販' },
  philosophy: '',
  elementScoring: true,
  totals: [
    { group: 'inner', label: '内枠', sum: 0, max: 15 },
    { group: 'outer', label: '外枠', sum: 4, max: 15 },
    { group: 'total', label: '合計', sum: 4, max: 30 },
  ],
  elements: ELEMENTS.map((e) =>
    e.id === 'customers' ? element('customers', { score: 1, cards: ['紹介制度を始めたい'], comparison: [{ company: 'みどり本舗', value: 2 }] })
    : e.id === 'data' ? element('data', { score: 3, comparison: [{ company: 'みどり本舗', value: 2 }] })
    : e.id === 'brand' ? element('brand', { notYet: ['ブランドページ'] })
    : element(e.id),
  ),
  assessment: null,
  coveredElements: ['customers', 'data'],
};

describe('a themed report', () => {
  it('lists the covered elements first (the JSON form too)', () => {
    expect(themedReport(themed).elements.map((e) => e.element).slice(0, 3)).toEqual(['customers', 'data', 'philosophy']);
    const text = reportMarkdown(themed);
    const byElement = text.slice(text.indexOf('## 項目ごと'));
    expect(byElement.indexOf('### 顧客（スコア 1）')).toBeGreaterThan(0);
    expect(byElement.indexOf('### 顧客（スコア 1）')).toBeLessThan(byElement.indexOf('### データ（スコア 3）'));
    expect(byElement.indexOf('### データ（スコア 3）')).toBeLessThan(byElement.indexOf('### ブランド'));
    // The score table, too: 顧客 and データ before 理念.
    expect(text.indexOf('| 顧客 | 1 | 2 |')).toBeLessThan(text.indexOf('| 理念 | – | – |'));
    expect(text).toContain('扱う項目: 顧客、データ（先に載せています）');
    expect(text).not.toContain('テーマ: '); // no theme title was given
    expect(reportMarkdown({ ...themed, event: { ...themed.event, theme: '顧客との関係づくり' } })).toContain('テーマ: 顧客との関係づくり\n\n扱う項目: 顧客、データ');
  });

  it('folds the uncovered elements with nothing in them into one line, keeps an uncovered one with content', () => {
    const sections = reportSections(themed);
    expect(sections.full.map((e) => e.element)).toEqual(['customers', 'data', 'brand']);
    expect(sections.folded.map((e) => e.element)).toEqual(['philosophy', 'culture', 'consideration', 'people', 'uniqueness', 'products', 'pr']);
    const text = reportMarkdown(themed);
    expect(text).not.toContain('### 理念');
    expect(text).not.toContain('### PR');
    expect(text).toContain('### ブランド（スコア –）');
    expect(text).toContain('扱わなかった項目（記入なし）: 理念、文化、思いやり、人材、独自性、商品・サービス、PR');
    expect(reportMarkdown(themed, 'en')).toContain('Not covered this time (nothing written): Philosophy, Culture');
  });

  it('shows the theme subtotal (4/6) before 内枠/外枠/合計', () => {
    expect(themeSubtotalCells(themed)).toEqual({ own: '4/6', others: ['4/6'] });
    const text = reportMarkdown(themed);
    expect(text).toContain('| **テーマ項目** | **4/6** | 4/6 |');
    expect(text.indexOf('テーマ項目** |')).toBeLessThan(text.indexOf('| 外枠 | 4/15 |'));
    expect(text).toContain('| 合計 | 4/30 | 4/30 |');
  });

  it('CSV rows follow the theme order', () => {
    const csv = reportCsv(themed);
    expect(csv.indexOf('スコア,データ,3')).toBeLessThan(csv.indexOf('スコア,理念,'));
  });

  it('an element with only a score, figure or memo is not empty', () => {
    expect(isEmptyElement(element('pr'))).toBe(true);
    expect(isEmptyElement(element('pr', { score: 0 }))).toBe(false);
    expect(isEmptyElement(element('pr', { memo: '検討中' }))).toBe(false);
    expect(isEmptyElement(element('pr', { figures: [{ label: '理念共感度', target: '90%以上', actual: 50 }] }))).toBe(false);
  });

  it('without a theme (none or all covered): every element in diagram order, no theme row, nothing folded', () => {
    for (const coveredElements of [undefined, [], ELEMENTS.map((e) => e.id)]) {
      const plain = { ...themed, coveredElements };
      expect(themeSubtotalCells(plain)).toBeNull();
      expect(reportSections(plain).folded).toEqual([]);
      const text = reportMarkdown(plain);
      expect(text).toContain('### 理念（スコア –）');
      expect(text).not.toContain('テーマ項目');
      expect(text.indexOf('### 理念')).toBeLessThan(text.indexOf('### 顧客'));
    }
  });
});

describe('the facilitators\' scores table of a themed session', () => {
  it('puts the theme first and a テーマ項目 subtotal before the method\'s frames', () => {
    expect(scoresCsvHead('ja', ['data', 'customers'])).toEqual(['会社', 'ルーム', '顧客', 'データ', '理念', '文化', '思いやり', '人材', '独自性', 'ブランド', '商品・サービス', 'PR', 'テーマ項目', '内枠', '外枠', '合計']);
    expect(scoresCsvHead('en', ['data', 'customers']).slice(2, 4)).toEqual(['Customers', 'Data']);
    expect(scoresCsvHead('en', ['data', 'customers'])[12]).toBe('Theme elements');
    // 顧客 2 and データ 3: the theme subtotal is 5; 内枠 has nothing scored (empty, not 0).
    expect(scoresCsvRow('青空通販', 'ルーム 1', { customers: 2, data: 3 }, ['data', 'customers'])).toEqual(['青空通販', 'ルーム 1', 2, 3, null, null, null, null, null, null, null, null, 5, null, 5, 5]);
    expect(scoresCsvRow('みどり本舗', 'ルーム 1', { philosophy: 1 }, ['data', 'customers'])).toEqual(['みどり本舗', 'ルーム 1', null, null, 1, null, null, null, null, null, null, null, null, 1, null, 1]);
  });

  it('without a theme (or with every element) is the diagram\'s order with no extra column', () => {
    for (const covered of [[], ELEMENTS.map((e) => e.id)]) {
      expect(scoresCsvHead('ja', covered)).toEqual(scoresCsvHead('ja'));
      expect(scoresCsvRow('青空通販', '', { brand: 2 }, covered)).toHaveLength(15);
    }
  });
});
