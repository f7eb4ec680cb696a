// The concept diagram's content, pinned to the table in ../shared/DOMAIN.md: names, frames, the
// association's 目標イメージ exactly as it writes them, the three 記入例 per outer element, and
// none of the wrong or invented texts that once crept in.
import { describe, expect, it } from 'vitest';
import { ELEMENTS, elementById, elementsInFrame, formatTarget, formatUnit, type ElementId } from '../../../shared/jcrm/elements.ts';

/** DOMAIN.md's table: frame, ja name, and for the outer elements the 目標イメージ labels. */
const DOMAIN: Record<ElementId, { frame: 'inner' | 'outer'; ja: string; targetImage: string[] }> = {
  philosophy: { frame: 'inner', ja: '理念', targetImage: [] },
  culture: { frame: 'inner', ja: '文化', targetImage: [] },
  consideration: { frame: 'inner', ja: '思いやり', targetImage: [] },
  people: { frame: 'inner', ja: '人材', targetImage: [] },
  uniqueness: { frame: 'inner', ja: '独自性', targetImage: [] },
  customers: { frame: 'outer', ja: '顧客', targetImage: ['友達紹介制度 紹介率 20%以上'] },
  brand: { frame: 'outer', ja: 'ブランド', targetImage: ['ブランド浸透率: 新規顧客へのブランド認知度 20%以上、既存顧客への認知度 80%以上'] },
  products: { frame: 'outer', ja: '商品・サービス', targetImage: ['お客様1年後残存率 90%以上'] },
  pr: { frame: 'outer', ja: 'PR', targetImage: ['理念共感度 90%以上', '30年以上の事業継続'] },
  data: { frame: 'outer', ja: 'データ', targetImage: ['顧客コミュニケーション 100%'] },
};

/** Every text of an element, both languages. */
function allTexts(id: ElementId): string[] {
  const e = elementById(id);
  return [
    e.name.ja, e.name.en, e.meaning.ja, e.meaning.en, e.question.ja, e.question.en,
    e.tagline.ja, e.tagline.en,
    ...e.examples.ja, ...e.examples.en, ...e.targetImage.ja, ...e.targetImage.en,
    ...e.targets.flatMap((t) => [t.label.ja, t.label.en]),
  ];
}

describe('the concept diagram follows DOMAIN.md', () => {
  it('has the ten elements in diagram order with their Japanese names and frames', () => {
    expect(ELEMENTS.map((e) => e.id)).toEqual(Object.keys(DOMAIN));
    for (const e of ELEMENTS) {
      expect(e.name.ja, e.id).toBe(DOMAIN[e.id].ja);
      expect(e.frame, e.id).toBe(DOMAIN[e.id].frame);
    }
  });

  it('puts 理念 in the centre of the inner frame, with four around it; five in the outer frame', () => {
    expect(elementById('philosophy').ring).toBe('centre');
    expect(elementsInFrame('inner').map((e) => e.id)).toEqual(['philosophy', 'culture', 'consideration', 'people', 'uniqueness']);
    expect(elementsInFrame('outer').map((e) => e.id)).toEqual(['customers', 'brand', 'products', 'pr', 'data']);
  });

  it('keeps every 目標イメージ exactly as the association writes it', () => {
    for (const e of ELEMENTS) {
      expect(e.targetImage.ja, e.id).toEqual(DOMAIN[e.id].targetImage);
      expect(e.targetImage.en, e.id).toHaveLength(e.targetImage.ja.length);
    }
    expect(elementById('customers').targetImage.ja).toEqual(['友達紹介制度 紹介率 20%以上']);
    expect(elementById('data').targetImage.ja).toEqual(['顧客コミュニケーション 100%']);
  });

  it('has a figure for each number of the 目標イメージ, written as the association writes it', () => {
    const figures = Object.fromEntries(ELEMENTS.map((e) => [e.id, e.targets.map((t) => formatTarget(t, 'ja'))]));
    expect(figures).toEqual({
      philosophy: [], culture: [], consideration: [], people: [], uniqueness: [],
      customers: ['20%以上'],
      brand: ['20%以上', '80%以上'],
      products: ['90%以上'],
      pr: ['90%以上', '30年以上'],
      data: ['100%'],
    });
    for (const e of ELEMENTS) {
      const line = e.targetImage.ja.join('、');
      for (const t of e.targets) {
        // the company's input label is the association's own word for the figure
        expect(line, `${e.id}: ${t.label.ja}`).toContain(t.label.ja.split(' ').at(-1)!);
        expect(line, `${e.id}: ${t.value}`).toContain(`${t.value}${formatUnit(t, 'ja')}`);
      }
    }
    expect(elementById('pr').targets[1]!.label.en).toBe('Years in business');
    expect(formatTarget(elementById('pr').targets[1]!, 'en')).toBe('30+ years');
    expect(formatTarget(elementById('customers').targets[0]!, 'en')).toBe('20%+');
    expect(formatTarget(elementById('data').targets[0]!, 'en')).toBe('100%');
  });

  it('shows three 記入例 for each outer element, none for the inner frame', () => {
    const examples = Object.fromEntries(ELEMENTS.map((e) => [e.id, e.examples.ja]));
    expect(examples).toEqual({
      philosophy: [], culture: [], consideration: [], people: [], uniqueness: [],
      customers: ['会員制度がある', '友達紹介制度がある', 'お客様の声を紹介している'],
      brand: ['会社の沿革を紹介している', 'ブランドページがある', '会報誌を発行している'],
      products: ['使い方のコンテンツがある', 'お客様の声を商品開発に活かしている', 'お客様の声を紹介している'],
      pr: ['参加型のイベントを開いている', '座談会を開いている', 'SNSで発信している'],
      data: ['お客様ごとに施策を分けている', 'アンケートを取っている', 'LTVを計測している'],
    });
    for (const e of ELEMENTS) expect(e.examples.en, e.id).toHaveLength(e.examples.ja.length);
  });

  it('gives every element a one-line tagline and a worksheet question', () => {
    for (const e of ELEMENTS) {
      expect(e.tagline.ja, e.id).not.toBe('');
      expect(e.tagline.en, e.id).not.toBe('');
      expect(e.question.ja, e.id).toMatch(/？$/);
      expect(e.question.en, e.id).toMatch(/\?$/);
    }
  });

  it('keeps the key words of each description', () => {
    const has = (id: ElementId, ...words: string[]) => {
      for (const word of words) expect(elementById(id).meaning.ja, `${id}: ${word}`).toContain(word);
    };
    has('philosophy', '存在する理由');
    has('consideration', '思いやる', 'すべての始まり');
    has('people', '理念を体現');
    has('uniqueness', '「らしさ」', 'やりたいこと', 'やるべきこと', '大切なこと');
    has('products', '理念を形に', 'お客様の声');
    has('customers', 'お客様がお客様を連れてくる');
    expect(elementById('products').tagline.ja).toContain('使い続けて');
    expect(elementById('consideration').name.en).not.toBe('Consideration');
  });

  it('contains none of the known wrong or invented texts', () => {
    const wrong = [
      '網羅率', '≥', '認知率', '継続率', 'お友達紹介率', 'Business continuity', 'coverage', 'Coverage',
      '他社にない', 'no competitor', '事業継続年数',
    ];
    for (const e of ELEMENTS) {
      for (const text of allTexts(e.id)) {
        for (const w of wrong) expect(text, `${e.id}: ${text}`).not.toContain(w);
      }
    }
    // 理念 does not borrow 思いやり's "everything starts here"
    const philosophy = elementById('philosophy');
    for (const text of [philosophy.meaning.ja, philosophy.meaning.en, philosophy.tagline.ja, philosophy.tagline.en]) {
      expect(text).not.toMatch(/すべて|始まる|everything|starts/i);
    }
  });
});
