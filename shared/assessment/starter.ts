// The starter template a facilitator begins from: the method's six categories and the questions
// of category 5 that are publicly known (DOMAIN.md lists eight), written in our own words. The
// method's other 25 questions are not public: the facilitator writes them. We ship no invented
// questions, and no question is marked as worth 4 points — that is the facilitator's choice.
import type { AssessmentTemplateBody } from './template.ts';

export const STARTER_TITLE = 'CRM実践度アセスメント';

export const STARTER_TEMPLATE: AssessmentTemplateBody = {
  categories: [
    { id: 'purpose', title: 'CRM導入の目的', questions: [] },
    { id: 'quantitative-goals', title: 'CRM導入の定量目標', questions: [] },
    { id: 'costs', title: 'CRM導入に関する費用', questions: [] },
    { id: 'business-analysis', title: 'ビジネス視点での分析状況', questions: [] },
    {
      id: 'programmes',
      title: 'CRM個別プログラムの設計・運用',
      questions: [
        { id: 'programmes-1', text: 'ブランドとデザインの決まりごと（ガイドライン）を文書にしている', maxPoints: 3 },
        { id: 'programmes-2', text: 'すべての個別プログラムを一枚で見渡せる全体の設計図がある', maxPoints: 3 },
        { id: 'programmes-3', text: '個別プログラムごとに、ねらいと仕組みを説明する資料がある', maxPoints: 3 },
        { id: 'programmes-4', text: '各プログラムが、お客様との関係のどの段階（カスタマージャーニーのどこ）を強めるのかを把握している', maxPoints: 3 },
        { id: 'programmes-5', text: '各プログラムの効果を決まった間隔で確かめている', maxPoints: 3 },
        { id: 'programmes-6', text: '各プログラムでお客様と接するタッチポイントをすべて洗い出している', maxPoints: 3 },
        { id: 'programmes-7', text: 'タッチポイントどうしが連携し、つながっている', maxPoints: 3 },
        { id: 'programmes-8', text: 'すべてのタッチポイントを一つのCMSで管理している', maxPoints: 3 },
      ],
    },
    { id: 'pdca', title: 'CRMのPDCAサイクル', questions: [] },
  ],
};

/** A fresh copy, safe to edit. */
export function starterTemplate(): AssessmentTemplateBody {
  return structuredClone(STARTER_TEMPLATE);
}
