// The 专家组意见 template: the item's heading and the sections the center's opinions have. It
// names the project, never the experts: the text may be released to the applicant.
import type { PMNode } from '$lib/editor/extensions';
import { doc, h, i, p } from '../documents/templates';
import type { OpinionContext } from './context';

export const OPINION_TEMPLATE = 'panelOpinion' as const;

export function opinionTemplate(ctx: Pick<OpinionContext, 'application'>): PMNode {
	const todo = (what: string) => i(`（${what}）`);
	return doc(
		h(1, '专家组意见'),
		p(`申报编号：${ctx.application.number}`),
		p(`项目名称：${ctx.application.title}`),
		p(`申报单位：${ctx.application.enterpriseName}`),
		h(2, '一、总体评价'),
		p(todo('项目的技术创新性、市场前景与企业能力的总体判断')),
		h(2, '二、主要优点'),
		p(todo('逐条列出')),
		h(2, '三、存在问题与建议'),
		p(todo('逐条列出，并提出改进建议')),
		h(2, '四、评审结论'),
		p(todo('专家组的结论性意见'))
	);
}
