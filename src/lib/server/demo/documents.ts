// Demo documents: the center's 2026 annual plan (Planning Division) and the 2026 Innovation
// Fund call guideline (the Innovation Fund program, led by the Fund Intake Division), linked to
// the IF2026 call. Facts follow ../shared/DOMAIN.md; names and figures are invented.
import { and, eq } from 'drizzle-orm';
import * as s from '$db/schema';
import type { SeedStep } from './step';
import { insertDocument } from '../documents';
import { b, doc, h, link, ol, p, table, ul } from '../documents/templates';

export const ANNUAL_PLAN_TITLE = '火炬高技术产业开发中心2026年度工作计划';
export const GUIDELINE_TITLE = '2026年度科技型中小企业技术创新基金项目申报指南';

const FIELD_DIRECTIONS: [string, string][] = [
	['电子信息', '集成电路设计、工业软件、新一代通信、人工智能与物联网应用'],
	['生物医药', '创新药物、高端医疗器械、现代中药、生物制造'],
	['新材料', '先进半导体材料、高性能纤维及复合材料、先进储能材料'],
	['光机电一体化', '智能制造装备、工业机器人、精密仪器仪表、激光加工技术'],
	['资源环境', '水污染与大气污染防治、固体废物资源化利用、生态修复'],
	['节能与新能源', '光伏与储能、氢能、新能源汽车关键部件、工业与建筑节能'],
	['高技术服务业', '研发设计、检验检测认证、科技金融、工业互联网平台服务']
];

const RUBRIC_ROWS: string[][] = [
	['企业发展能力', '20', '企业家精神及经营管理团队、产业化基础合理性、研发能力、财务状况'],
	['项目技术创新性', '35', '创新程度、技术先进性、开发进展、转化为产品的可行性'],
	['项目产品市场', '25', '市场需求、定位合理性、竞争优势、合同目标合理性'],
	['商业模式', '20', '盈利模式、营销渠道与客户基础、融资计划与资金使用']
];

const VETO = '存在下列情形之一的项目实行一票否决：无创新性；技术或产业化不可行；知识产权不清晰；属国家不鼓励发展方向；环保不达标。财务专家评分低于60分的项目不予支持。';

export function annualPlanContent() {
	return doc(
		h(1, ANNUAL_PLAN_TITLE),
		p(
			'2026年是“十五五”规划的开局之年。中心围绕科技型中小企业创新发展和高新技术成果转化，统筹创新基金、火炬计划、国家重点新产品计划和创业投资引导基金等工作，提高项目管理的规范化、信息化水平，确保财政资金安全、高效使用。'
		),
		h(2, '一、主要任务'),
		ol(
			[b('组织实施2026年度创新基金'), '：发布年度申报指南，完成受理、形式审查、专家评审和会评，年内完成立项审批。（牵头：基金受理处、基金审理处）'],
			[b('推进火炬计划与产业化基地建设'), '：开展特色产业基地认定和复核，组织火炬计划项目申报。（牵头：综合计划处）'],
			[b('组织国家重点新产品计划'), '：做好新产品推荐、评审和推广工作。（牵头：成果推广处）'],
			[b('管理创业投资引导基金'), '：完成年度阶段参股和跟进投资项目评审，开展存续子基金绩效评价。（牵头：金融发展处）'],
			[b('加强项目监理与绩效评价'), '：对在研项目开展中期检查和验收，评价结果作为后续支持的依据。（牵头：基金监理与评价处）'],
			[b('完善专家库与评审制度'), '：补充入库专家，落实回避与保密要求，推行按领域随机抽取专家。（牵头：基金审理处）'],
			[b('建设评审会议室信息系统'), '：实现申报、评审、会评和文档协同的全程网上办理。（牵头：办公室、综合计划处）']
		),
		h(2, '二、工作目标'),
		table(
			['指标', '2026年目标', '牵头处室'],
			['创新基金受理申报项目', '不少于8000项', '基金受理处'],
			['创新基金立项支持项目', '约1200项', '基金审理处'],
			['完成项目验收', '不少于1000项', '基金监理与评价处'],
			['专家库新增入库专家', '500名', '基金审理处'],
			['申报与评审网上办理率', '100%', '办公室']
		),
		h(2, '三、重点支持领域'),
		ul(...FIELD_DIRECTIONS.map(([f, d]) => [b(f), `：${d}`])),
		h(2, '四、支持方式与资金安排'),
		table(
			['支持方式', '额度', '说明'],
			['无偿资助', '一般不超过100万元，重点项目不超过200万元', '主要用于研究开发和中试阶段的技术创新项目'],
			['贷款贴息', '一般不超过100万元，重点项目不超过200万元', '按项目贷款一年利息的50%～100%给予补贴，适用于已具备规模化生产条件的项目'],
			['资本金投入', '视项目情况确定', '适用于起点高、创新内涵广、市场前景大的少数项目，引导其他资本投入']
		),
		h(2, '五、申报要求'),
		ul(
			'申报企业须在中国境内注册、具有独立法人资格，职工人数不超过500人，研发人员占比不低于10%。',
			'每个企业每年只能申报一个项目；近三年内有创新基金项目验收不合格记录的企业不得申报。',
			'申报材料须在截止前一次提交齐全，评审期间不接受补充附件。',
			'项目应具有自主知识产权，权属清晰，符合国家产业政策和环保要求。'
		),
		h(2, '六、评审标准'),
		p('创新基金一般项目按《综合评价表》评分，满分100分：'),
		table(['评价指标', '分值', '主要内容'], ...RUBRIC_ROWS),
		p(VETO),
		h(2, '七、进度安排'),
		table(
			['时间', '工作内容', '责任处室'],
			['2026年1—2月', '编制年度计划，起草并审定创新基金申报指南', '综合计划处、基金受理处'],
			['2026年3月1日', '发布申报指南，开始受理申报', '基金受理处'],
			['2026年3—12月', '受理与形式审查，不予受理的60日内书面告知', '基金受理处'],
			['2026年7—11月', '专家评审与会评', '基金审理处'],
			['2026年12月', '审批立项并公示，异议期两周', '基金审理处、办公室'],
			['全年', '项目监理、中期检查与验收', '基金监理与评价处']
		),
		h(2, '八、保障措施'),
		ol(
			'严格执行专家回避和保密制度，评审专家不得泄露评审信息，不得接受请托。',
			'评审全过程留痕；决定一经锁定不得更改，重新开启须由管理员说明理由。',
			'加强与地方科技管理部门协同，做好项目推荐和监理工作。'
		)
	);
}

export function guidelineContent() {
	return doc(
		h(1, GUIDELINE_TITLE),
		p(
			'为贯彻落实创新驱动发展战略，支持科技型中小企业开展技术创新，根据《科技型中小企业技术创新基金管理暂行办法》，现发布2026年度科技型中小企业技术创新基金（以下简称“创新基金”）项目申报指南。'
		),
		h(2, '一、支持重点'),
		p('本年度创新基金重点支持以下七个技术领域中具有自主知识产权、技术含量高、市场前景好的项目：'),
		ul(...FIELD_DIRECTIONS.map(([f, d]) => [b(f), `：${d}`])),
		h(2, '二、支持方式与额度'),
		table(
			['支持方式', '一般项目', '重点项目', '说明'],
			['无偿资助', '不超过100万元', '不超过200万元', '主要用于技术研发和中试'],
			['贷款贴息', '不超过100万元', '不超过200万元', '按一年期贷款利息的50%～100%贴息'],
			['资本金投入', '视项目情况确定', '视项目情况确定', '以引导社会资本投入为目的']
		),
		p('申请金额超过一般项目上限的，须申报为重点项目，并在申请书中说明理由。'),
		h(2, '三、申报条件'),
		ol(
			'在中国境内注册，具有独立企业法人资格，主要从事高新技术产品的研究、开发、生产和服务。',
			'职工人数原则上不超过500人，直接从事研究开发的科技人员占职工总数的比例不低于10%。',
			'企业财务管理制度健全，有良好的经营业绩和信用记录。',
			'申报项目符合本指南支持重点，具有自主知识产权，权属清晰。',
			'每个企业本年度只能申报一个项目；近三年内有创新基金项目验收不合格记录的企业不得申报。'
		),
		h(2, '四、申报材料要求'),
		ul(
			'《创新基金项目申请书》及可行性研究报告；',
			'企业营业执照、上一年度经审计的财务报表；',
			'知识产权证明、查新报告或检测报告等技术证明材料；',
			'推荐单位出具的推荐意见。'
		),
		p(b('申报材料须一次提交齐全，受理后不再接受补充附件。')),
		h(2, '五、评审程序与标准'),
		ol(
			[b('受理与形式审查'), '：审查申报资格、材料完整性和内容合规性；不予受理的，在60日内书面告知企业并说明理由。'],
			[b('专家评审'), '：按技术领域从专家库中抽取专家，每个项目一般由4名技术专家独立评审，并由财务专家评审财务状况；与申报企业存在利益关系的专家一律回避。'],
			[b('会评'), '：评审组集中讨论，专家评分分歧较大的项目重点讨论，必要时重新评分。'],
			[b('审批与公示'), '：立项结果经审批后向社会公示，异议期为两周。']
		),
		p('综合评价表（满分100分）：'),
		table(['评价指标', '分值', '主要内容'], ...RUBRIC_ROWS, [b('合计'), b('100'), '']),
		p(VETO),
		h(2, '六、时间安排'),
		table(
			['阶段', '时间'],
			['申报受理', '2026年3月1日至12月31日17:00'],
			['形式审查', '受理后60日内'],
			['专家评审与会评', '2026年7月至11月，分批进行'],
			['结果公示', '审批后公示两周']
		),
		h(2, '七、联系方式'),
		p('基金受理处（示例联系方式）　电话：010-6851 2345　邮箱：intake@torch.example.cn'),
		p('网上申报：', link('Panelroom 评审会议室', 'https://panelroom.example.cn'))
	);
}

export const documentsStep: SeedStep = {
	name: 'documents',
	async done(tx) {
		const [row] = await tx.select({ id: s.documents.id }).from(s.documents).where(eq(s.documents.title, GUIDELINE_TITLE)).limit(1);
		return !!row;
	},
	async run(tx) {
		const [planning] = await tx.select({ id: s.divisions.id }).from(s.divisions).where(eq(s.divisions.code, 'planning'));
		const [fund] = await tx.select({ id: s.programs.id }).from(s.programs).where(eq(s.programs.code, 'innovation-fund'));
		const [planner] = await tx.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'planner'));
		const [intake] = await tx.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'intake'));
		if (!planning || !fund) throw new Error('the organization step must run first');
		await insertDocument(tx, {
			title: ANNUAL_PLAN_TITLE,
			kind: 'plan',
			owner: { kind: 'division', id: planning.id },
			content: annualPlanContent(),
			template: 'annualPlan',
			createdBy: planner?.id ?? null
		});
		const guideline = await insertDocument(tx, {
			title: GUIDELINE_TITLE,
			kind: 'guideline',
			owner: { kind: 'program', id: fund.id },
			content: guidelineContent(),
			template: 'callGuideline',
			createdBy: intake?.id ?? null
		});
		await tx
			.update(s.calls)
			.set({ guidelineDocumentId: guideline })
			.where(and(eq(s.calls.code, 'IF2026'), eq(s.calls.programId, fund.id)));
	}
};
