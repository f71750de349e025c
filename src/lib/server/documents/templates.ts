// Templates for new documents: an annual plan and a call guideline whose sections follow the
// center's own (tasks, goals, supported fields, funding modes, application requirements,
// review criteria, schedule), in Chinese as the center writes them. Also the small builders
// used to write ProseMirror JSON by hand (templates and the demo documents).
import type { PMNode } from '$lib/editor/extensions';

/** panelOpinion is created by the opinions domain only (opinions/template.ts), never offered in the new-document form. */
export type TemplateKey = 'blank' | 'annualPlan' | 'callGuideline' | 'panelOpinion';
export const TEMPLATES: TemplateKey[] = ['blank', 'annualPlan', 'callGuideline'];

type Inline = string | PMNode;

function inline(parts: Inline[]): PMNode[] {
	return parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? { type: 'text', text: p } : p));
}

export const b = (text: string): PMNode => ({ type: 'text', text, marks: [{ type: 'bold' }] });
export const i = (text: string): PMNode => ({ type: 'text', text, marks: [{ type: 'italic' }] });
export const link = (text: string, href: string): PMNode => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
export const h = (level: 1 | 2 | 3, ...parts: Inline[]): PMNode => ({ type: 'heading', attrs: { level }, content: inline(parts) });
export const p = (...parts: Inline[]): PMNode => (parts.length ? { type: 'paragraph', content: inline(parts) } : { type: 'paragraph' });
const item = (content: Inline | Inline[] | PMNode[]): PMNode => {
	const parts = Array.isArray(content) ? content : [content];
	const blocks = parts.every((x) => typeof x === 'object' && x.type !== 'text') ? (parts as PMNode[]) : [p(...(parts as Inline[]))];
	return { type: 'listItem', content: blocks };
};
export const ul = (...items: (Inline | Inline[])[]): PMNode => ({ type: 'bulletList', content: items.map(item) });
export const ol = (...items: (Inline | Inline[])[]): PMNode => ({ type: 'orderedList', attrs: { start: 1 }, content: items.map(item) });
export const table = (header: string[], ...body: Inline[][]): PMNode => ({
	type: 'table',
	content: [
		{ type: 'tableRow', content: header.map((c) => ({ type: 'tableHeader', content: [p(c)] })) },
		...body.map((row) => ({ type: 'tableRow', content: row.map((c) => ({ type: 'tableCell', content: [p(c)] })) }))
	]
});
export const doc = (...content: PMNode[]): PMNode => ({ type: 'doc', content });

const FIELDS_ZH = ['电子信息', '生物医药', '新材料', '光机电一体化', '资源环境', '节能与新能源', '高技术服务业'];
const todo = (what: string) => i(`（${what}）`);

/** The empty document: a title and one empty paragraph to type in. */
export function blankTemplate(title: string): PMNode {
	return doc(h(1, title), p());
}

export function annualPlanTemplate(title: string, year: number): PMNode {
	return doc(
		h(1, title),
		p(todo(`简述${year}年度工作的指导思想、形势判断和总体安排`)),
		h(2, '一、主要任务'),
		ol([todo('任务一：名称、内容与牵头处室')], [todo('任务二')], [todo('任务三')]),
		h(2, '二、工作目标'),
		table(['指标', `${year}年目标`, '牵头处室'], [todo('如：受理申报项目数'), '', ''], [todo('如：立项支持项目数'), '', ''], [todo('如：资助资金总额（万元）'), '', '']),
		h(2, '三、重点支持领域'),
		ul(...FIELDS_ZH.map((f) => [b(f), '：', todo('本年度支持方向')])),
		h(2, '四、支持方式与资金安排'),
		table(['支持方式', '额度上限（万元）', '说明'], ['无偿资助', '', todo('适用范围')], ['贷款贴息', '', todo('贴息比例')], ['资本金投入', '', todo('适用范围')]),
		h(2, '五、申报要求'),
		ul([todo('申报主体资格')], [todo('申报数量限制')], [todo('材料要求')]),
		h(2, '六、评审标准'),
		p(todo('评审指标、权重与否决项')),
		h(2, '七、进度安排'),
		table(['时间', '工作内容', '责任处室'], [`${year}年1月`, '', ''], [`${year}年3月`, '', ''], [`${year}年6月`, '', ''], [`${year}年12月`, '', '']),
		h(2, '八、保障措施'),
		p(todo('组织、制度与监督保障'))
	);
}

export function callGuidelineTemplate(title: string): PMNode {
	return doc(
		h(1, title),
		p(todo('说明本年度申报工作的依据与总体要求')),
		h(2, '一、支持重点'),
		p('本年度重点支持以下技术领域的项目：'),
		ul(...FIELDS_ZH.map((f) => [b(f), '：', todo('支持方向')])),
		h(2, '二、支持方式与额度'),
		table(['支持方式', '一般项目（万元）', '重点项目（万元）', '说明'], ['无偿资助', '', '', ''], ['贷款贴息', '', '', ''], ['资本金投入', '', '', '']),
		h(2, '三、申报条件'),
		ol([todo('企业资格')], [todo('项目要求')], [todo('限制条件')]),
		h(2, '四、申报材料要求'),
		ul([todo('申请书及附件')], [todo('财务报表')], [todo('推荐意见')]),
		h(2, '五、评审程序与标准'),
		p(todo('受理、形式审查、专家评审、会评、审批与公示')),
		table(['评价指标', '分值'], ['企业发展能力', ''], ['项目技术创新性', ''], ['项目产品市场', ''], ['商业模式', ''], [b('合计'), b('100')]),
		h(2, '六、时间安排'),
		table(['阶段', '时间'], ['申报受理', ''], ['形式审查', ''], ['专家评审', ''], ['结果公示', '']),
		h(2, '七、联系方式'),
		p(todo('受理处室、电话、地址'))
	);
}

export function templateContent(key: TemplateKey, title: string, year: number): PMNode {
	if (key === 'annualPlan') return annualPlanTemplate(title, year);
	if (key === 'callGuideline') return callGuidelineTemplate(title);
	return blankTemplate(title);
}
