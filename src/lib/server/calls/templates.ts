// The Innovation Fund's own forms: the intake checklist and the technical and finance scoring
// forms a new call starts from when its program has no earlier call (calls/form.ts). The demo
// call uses them too.
import type { IntakeCheck } from '$db/schema';
import { TECHNICAL_FIELDS } from '$lib/values';

export const IF2026_CHECKLIST: IntakeCheck[] = [
	{ key: 'scope', stage: 'eligibility', label: '项目属于本年度指南支持范围', labelEn: 'Project is within this year’s supported scope' },
	{ key: 'enterprise', stage: 'eligibility', label: '企业具有独立法人资格，职工不超过500人，研发人员不低于10%', labelEn: 'Independent legal entity, at most 500 staff, at least 10% R&D staff' },
	{ key: 'recommender', stage: 'eligibility', label: '推荐单位具备推荐资格', labelEn: 'The recommending unit qualifies' },
	{ key: 'single', stage: 'eligibility', label: '本年度仅申报一个项目，近三年无验收不合格记录', labelEn: 'One application this year; no failed acceptance check in 3 years' },
	{ key: 'complete', stage: 'formal', label: '申报材料和附件齐全', labelEn: 'Documents and attachments complete' },
	{ key: 'format', stage: 'formal', label: '格式规范、填写正确，盖章签字完整', labelEn: 'Format and entries correct, seals and signatures present' },
	{ key: 'budget', stage: 'formal', label: '预算表完整，申请金额不超过资助上限', labelEn: 'Budget complete and within the funding ceiling' },
	{ key: 'rules', stage: 'content', label: '内容符合《科技型中小企业技术创新基金管理暂行办法》', labelEn: 'Content conforms to the fund’s provisional rules' }
];

/** The Innovation Fund's 综合评价表: four groups, items weighted in points of 100. */
export const IF_TECHNICAL_RUBRIC = {
	name: '创新基金一般项目综合评价表（无偿资助）',
	nameEn: 'Innovation Fund general project evaluation form (grant)',
	groups: [
		{
			key: 'capability',
			name: '企业发展能力',
			nameEn: 'Enterprise capability',
			items: [
				{ key: 'team', name: '企业家精神及经营管理团队', nameEn: 'Entrepreneurship and management team', weight: 5 },
				{ key: 'industrialBase', name: '产业化基础合理性', nameEn: 'Soundness of the industrial base', weight: 5 },
				{ key: 'rdCapacity', name: '研发能力与知识产权', nameEn: 'R&D capacity and intellectual property', weight: 5 },
				{ key: 'financialHealth', name: '财务状况与信用', nameEn: 'Financial condition and credit', weight: 5 }
			]
		},
		{
			key: 'innovation',
			name: '项目技术创新性',
			nameEn: 'Technical innovation',
			items: [
				{ key: 'novelty', name: '创新程度', nameEn: 'Degree of innovation', weight: 9 },
				{ key: 'advancement', name: '技术先进性', nameEn: 'Technical advancement', weight: 8 },
				{ key: 'progress', name: '开发进展', nameEn: 'Development progress', weight: 9 },
				{ key: 'feasibility', name: '转化为产品的可行性', nameEn: 'Feasibility of turning it into a product', weight: 9 }
			]
		},
		{
			key: 'market',
			name: '项目产品市场',
			nameEn: 'Product market',
			items: [
				{ key: 'demand', name: '市场需求', nameEn: 'Market demand', weight: 7 },
				{ key: 'positioning', name: '定位合理性', nameEn: 'Positioning', weight: 5 },
				{ key: 'advantage', name: '竞争优势', nameEn: 'Competitive advantage', weight: 7 },
				{ key: 'targets', name: '合同目标合理性', nameEn: 'Soundness of contract targets', weight: 6 }
			]
		},
		{
			key: 'businessModel',
			name: '商业模式',
			nameEn: 'Business model',
			items: [
				{ key: 'revenue', name: '盈利模式清晰度', nameEn: 'Clarity of the revenue model', weight: 7 },
				{ key: 'channels', name: '营销渠道与客户基础', nameEn: 'Sales channels and customer base', weight: 7 },
				{ key: 'funding', name: '融资计划与资金使用', nameEn: 'Financing plan and use of funds', weight: 6 }
			]
		}
	],
	deductions: [{ key: 'environment', name: '环保扣分', nameEn: 'Environmental deduction', maxPoints: 10 }],
	vetoes: [
		{ key: 'noInnovation', name: '无创新性', nameEn: 'No innovation' },
		{ key: 'infeasible', name: '技术或产业化不可行', nameEn: 'Not feasible' },
		{ key: 'ipUnclear', name: '知识产权不清晰', nameEn: 'Unclear intellectual property' },
		{ key: 'discouraged', name: '属国家不鼓励发展方向', nameEn: 'A direction the state does not encourage' },
		{ key: 'environmental', name: '环保不达标', nameEn: 'Environmental failure' }
	]
};

/** The finance expert's form; a total under 60 disqualifies. */
export const IF_FINANCE_RUBRIC = {
	name: '创新基金项目财务评价表',
	nameEn: 'Innovation Fund finance evaluation form',
	passMark: '60',
	groups: [
		{
			key: 'finance',
			name: '财务状况',
			nameEn: 'Financial condition',
			items: [
				{ key: 'solvency', name: '资产负债结构与偿债能力', nameEn: 'Balance sheet and solvency', weight: 25 },
				{ key: 'profitability', name: '盈利能力', nameEn: 'Profitability', weight: 25 },
				{ key: 'cashFlow', name: '现金流状况', nameEn: 'Cash flow', weight: 20 },
				{ key: 'budget', name: '项目预算合理性', nameEn: 'Soundness of the project budget', weight: 30 }
			]
		}
	],
	deductions: [],
	vetoes: [{ key: 'falseAccounts', name: '财务数据失实', nameEn: 'False financial statements' }]
};

/** The settings a new call starts from when its program has no earlier call; dates in the given year. */
export function newCallDefaults(year: number) {
	return {
		opensAt: `${year}-03-01T09:00`,
		closesAt: `${year}-06-30T17:00`,
		fields: [...TECHNICAL_FIELDS],
		fundingModes: ['grant'],
		ceiling: '100',
		majorCeiling: '200',
		reviewersPerApplication: '3',
		financeReviewers: '1',
		maxPerExpert: '10',
		selection: 'matching',
		minTechnicalShare: '0.6',
		poolFactor: '3',
		aggregation: 'mean',
		discrepancyThreshold: '15',
		discrepancyRule: 'relative'
	};
}
