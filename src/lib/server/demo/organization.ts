// The demo organization: the Torch center's divisions and staff, the expert pool, the
// programs, the open 2026 Innovation Fund call with the fund's own scoring form, and twenty
// applications in different states. Names are invented; the structure follows DOMAIN.md.
import type { TechnicalField } from '$lib/values';

export const DEMO_PASSWORD = 'demo-password';

/** The accounts the start banner and README name. */
export const DEMO_ACCOUNTS = [
	{ username: 'admin', role: '系统管理员 / Administrator' },
	{ username: 'intake', role: '基金受理处工作人员 / Fund Intake staff' },
	{ username: 'planner', role: '综合计划处处长 / Planning Division head' },
	{ username: 'chair', role: '评审组长（专家）/ Panel chair (expert)' },
	...Array.from({ length: 8 }, (_, i) => ({ username: `expert${i + 1}`, role: '评审专家 / Expert' })),
	{ username: 'applicant1', role: '申报企业 / Applicant' },
	{ username: 'applicant2', role: '申报企业（答辩）/ Applicant (hearing)' }
];


export interface DemoDivision {
	code: string;
	name: string;
	nameEn: string;
	people: { username: string; name: string; role: 'head' | 'deputy' | 'staff'; isAdmin?: boolean }[];
}

export const DIVISIONS: DemoDivision[] = [
	{
		code: 'office',
		name: '办公室',
		nameEn: 'General Office',
		people: [
			{ username: 'sunjianguo', name: '孙建国', role: 'head' },
			{ username: 'admin', name: '赵敏', role: 'staff', isAdmin: true }
		]
	},
	{
		code: 'planning',
		name: '综合计划处',
		nameEn: 'Planning Division',
		people: [
			{ username: 'planner', name: '李卫东', role: 'head' },
			{ username: 'zhouxiaoyan', name: '周晓燕', role: 'staff' }
		]
	},
	{
		code: 'policy',
		name: '政策调研与统计处',
		nameEn: 'Policy Research and Statistics Division',
		people: [
			{ username: 'wuzhigang', name: '吴志刚', role: 'head' },
			{ username: 'zhengli', name: '郑丽', role: 'staff' }
		]
	},
	{
		code: 'fund-intake',
		name: '基金受理处',
		nameEn: 'Fund Intake Division',
		people: [
			{ username: 'wanghaitao', name: '王海涛', role: 'head' },
			{ username: 'intake', name: '刘芳', role: 'staff' },
			{ username: 'chenlei', name: '陈磊', role: 'staff' }
		]
	},
	{
		code: 'fund-review',
		name: '基金审理处',
		nameEn: 'Fund Review Division',
		people: [
			{ username: 'zhanglixin', name: '张立新', role: 'head' },
			{ username: 'yangjing', name: '杨静', role: 'deputy' },
			{ username: 'huangwei', name: '黄伟', role: 'staff' }
		]
	},
	{
		code: 'fund-supervision',
		name: '基金监理与评价处',
		nameEn: 'Fund Supervision and Evaluation Division',
		people: [
			{ username: 'linzhiqiang', name: '林志强', role: 'head' },
			{ username: 'hejuan', name: '何娟', role: 'staff' }
		]
	},
	{
		code: 'achievement',
		name: '成果推广处',
		nameEn: 'Achievement Promotion Division',
		people: [
			{ username: 'gaofeng', name: '高峰', role: 'head' },
			{ username: 'luolin', name: '罗琳', role: 'staff' }
		]
	},
	{
		code: 'finance',
		name: '金融发展处',
		nameEn: 'Finance Development Division',
		people: [
			{ username: 'xieming', name: '谢明', role: 'head' },
			{ username: 'hanxue', name: '韩雪', role: 'staff' }
		]
	},
	{
		code: 'incubator',
		name: '孵化器管理处',
		nameEn: 'Incubator Management Division',
		people: [
			{ username: 'majun', name: '马俊', role: 'head' },
			{ username: 'tangying', name: '唐颖', role: 'staff' }
		]
	},
	{
		code: 'tech-market',
		name: '技术市场管理处',
		nameEn: 'Technology Market Division',
		people: [
			{ username: 'fengtao', name: '冯涛', role: 'head' },
			{ username: 'caomin', name: '曹敏', role: 'staff' }
		]
	}
];

export interface DemoExpert {
	username?: string;
	name: string;
	institution: string;
	title: string;
	kind: 'technical' | 'finance';
	primaryField: TechnicalField;
	secondaryFields: TechnicalField[];
}

export const EXPERTS: DemoExpert[] = [
	{ username: 'chair', name: '陈宏远', institution: '清华大学', title: '教授、博士生导师', kind: 'technical', primaryField: 'electronicInformation', secondaryFields: ['optoMechatronics'] },
	{ username: 'expert1', name: '刘振华', institution: '中国科学院微电子研究所', title: '研究员', kind: 'technical', primaryField: 'electronicInformation', secondaryFields: ['highTechServices'] },
	{ username: 'expert2', name: '王晓梅', institution: '北京协和医学院', title: '教授', kind: 'technical', primaryField: 'biomedicine', secondaryFields: ['resourcesEnvironment'] },
	{ username: 'expert3', name: '赵立群', institution: '中国科学院化学研究所', title: '研究员', kind: 'technical', primaryField: 'newMaterials', secondaryFields: ['newEnergy'] },
	{ username: 'expert4', name: '孙浩然', institution: '哈尔滨工业大学', title: '教授', kind: 'technical', primaryField: 'optoMechatronics', secondaryFields: ['electronicInformation'] },
	{ username: 'expert5', name: '周雪琴', institution: '浙江大学', title: '教授', kind: 'technical', primaryField: 'resourcesEnvironment', secondaryFields: ['newMaterials'] },
	{ username: 'expert6', name: '吴建平', institution: '北京清能光伏科技股份有限公司', title: '正高级工程师', kind: 'technical', primaryField: 'newEnergy', secondaryFields: ['electronicInformation', 'resourcesEnvironment'] },
	{ username: 'expert7', name: '郑思远', institution: '上海交通大学', title: '副教授', kind: 'technical', primaryField: 'highTechServices', secondaryFields: ['electronicInformation'] },
	{ username: 'expert8', name: '钱佩玲', institution: '中国人民大学商学院', title: '教授、注册会计师', kind: 'finance', primaryField: 'highTechServices', secondaryFields: ['newEnergy', 'biomedicine'] },
	{ name: '冯国栋', institution: '复旦大学', title: '教授', kind: 'technical', primaryField: 'biomedicine', secondaryFields: ['newMaterials'] },
	{ name: '蒋文博', institution: '北京航空航天大学', title: '教授', kind: 'technical', primaryField: 'optoMechatronics', secondaryFields: ['newEnergy'] },
	{ name: '段志明', institution: '中国科学院上海硅酸盐研究所', title: '研究员', kind: 'technical', primaryField: 'newMaterials', secondaryFields: ['resourcesEnvironment'] },
	{ name: '黎晓红', institution: '天职国际会计师事务所', title: '高级会计师', kind: 'finance', primaryField: 'highTechServices', secondaryFields: ['electronicInformation'] }
];

export const PROGRAMS = [
	{
		code: 'innovation-fund',
		name: '科技型中小企业技术创新基金',
		nameEn: 'Innovation Fund for Technology-based SMEs',
		description: '支持科技型中小企业技术创新项目，以无偿资助、贷款贴息和资本金投入方式扶持。',
		lead: 'fund-intake',
		divisions: ['fund-intake', 'fund-review', 'fund-supervision']
	},
	{
		code: 'key-new-product',
		name: '国家重点新产品计划',
		nameEn: 'National Key New Product Program',
		description: '鼓励企业开发具有自主知识产权、技术含量高、市场前景好的新产品。',
		lead: 'achievement',
		divisions: ['achievement']
	},
	{
		code: 'torch',
		name: '火炬计划项目',
		nameEn: 'Torch Program',
		description: '推动高新技术成果商品化、产业化和国际化。',
		lead: 'planning',
		divisions: ['planning']
	},
	{
		code: 'guidance-fund',
		name: '科技型中小企业创业投资引导基金',
		nameEn: 'Guidance Fund',
		description: '引导创业投资机构向初创期科技型中小企业投资。',
		lead: 'finance',
		divisions: ['finance']
	}
];

// The fund's own forms are the defaults of a new call, so they live with calls; the demo call
// uses them as they are.
export { IF2026_CHECKLIST, IF_FINANCE_RUBRIC, IF_TECHNICAL_RUBRIC } from '../calls/templates';

export interface DemoApplication {
	enterprise: string;
	region: string;
	org: string;
	contact: string;
	phone: string;
	title: string;
	field: TechnicalField;
	mode: 'grant' | 'interestSubsidy' | 'equity';
	amount: number;
	status: 'draft' | 'submitted' | 'accepted' | 'rejected';
	summary: string;
	rejection?: string;
	applicant?: string;
}

export const APPLICATIONS: DemoApplication[] = [
	{ enterprise: '北京智芯感知科技有限公司', region: '110108', org: '73425171', contact: '李明', phone: '010-62751234', title: '面向工业物联网的低功耗MEMS智能传感器芯片研发及产业化', field: 'electronicInformation', mode: 'grant', amount: 100, status: 'draft', applicant: 'applicant1', summary: '研发基于MEMS工艺的低功耗多参量传感器芯片，集成边缘计算单元，面向工业设备状态监测。' },
	{ enterprise: '深圳市华芯微电子有限公司', region: '440305', org: '58392014', contact: '黄志伟', phone: '0755-86001122', title: '车规级功率半导体驱动芯片', field: 'electronicInformation', mode: 'grant', amount: 150, status: 'accepted', summary: '开发满足AEC-Q100标准的车规级栅极驱动芯片，替代进口产品。' },
	{ enterprise: '苏州纳微新材料科技有限公司', region: '320594', org: '66012873', contact: '周倩', phone: '0512-62881001', title: '高纯单分散硅胶微球色谱填料产业化', field: 'newMaterials', mode: 'grant', amount: 120, status: 'accepted', summary: '实现粒径均一的硅胶微球规模化制备，用于生物医药分离纯化。' },
	{ enterprise: '北京清能光伏科技股份有限公司', region: '110114', org: '79845520', contact: '高原', phone: '010-80712233', title: '钙钛矿/晶硅叠层太阳电池中试线建设', field: 'newEnergy', mode: 'interestSubsidy', amount: 200, status: 'accepted', summary: '建设钙钛矿/晶硅叠层电池中试线，转换效率目标不低于30%。' },
	{ enterprise: '杭州思创医疗器械有限公司', region: '330106', org: '68290517', contact: '陈洁', phone: '0571-88223344', title: '可降解镁合金冠脉支架', field: 'biomedicine', mode: 'grant', amount: 100, status: 'accepted', summary: '研发完全可降解镁合金冠脉支架及其涂层工艺，完成动物实验。' },
	{ enterprise: '武汉光谷激光装备有限公司', region: '420111', org: '55733091', contact: '刘洋', phone: '027-87651234', title: '超快激光精密微加工装备', field: 'optoMechatronics', mode: 'grant', amount: 150, status: 'accepted', summary: '开发飞秒激光微加工系统，用于柔性显示屏切割。' },
	{ enterprise: '成都蓝海环保科技有限公司', region: '510107', org: '62001479', contact: '王磊', phone: '028-85123456', title: '高盐工业废水零排放蒸发结晶成套技术', field: 'resourcesEnvironment', mode: 'grant', amount: 80, status: 'accepted', summary: '针对煤化工高盐废水开发MVR蒸发结晶技术，实现分盐资源化。' },
	{ enterprise: '上海云启数据服务有限公司', region: '310115', org: '71288406', contact: '张帆', phone: '021-58812345', title: '面向中小制造企业的工业互联网SaaS平台', field: 'highTechServices', mode: 'equity', amount: 200, status: 'accepted', summary: '提供设备联网、生产排程与质量追溯的一体化SaaS服务。' },
	{ enterprise: '西安秦川智能装备有限公司', region: '610131', org: '69354422', contact: '马骏', phone: '029-88345678', title: '精密减速器在线检测机器人', field: 'optoMechatronics', mode: 'grant', amount: 90, status: 'accepted', summary: '研制机器人精密减速器装配质量在线检测系统。' },
	{ enterprise: '南京先导生物医药有限公司', region: '320111', org: '77410263', contact: '孙悦', phone: '025-58901234', title: '新型ADC抗体偶联药物连接子平台', field: 'biomedicine', mode: 'grant', amount: 180, status: 'accepted', summary: '建立可裂解连接子技术平台，完成两个候选药物的临床前研究。' },
	{ enterprise: '合肥锐能储能技术有限公司', region: '340104', org: '60287755', contact: '赵刚', phone: '0551-65543210', title: '钠离子电池储能系统', field: 'newEnergy', mode: 'grant', amount: 150, status: 'submitted', summary: '开发低成本层状氧化物正极钠离子电池及其储能系统集成。' },
	{ enterprise: '天津海泰新材料有限公司', region: '120116', org: '56641208', contact: '吕静', phone: '022-84567890', title: '高性能碳纤维复合材料汽车轻量化部件', field: 'newMaterials', mode: 'interestSubsidy', amount: 100, status: 'submitted', summary: '开发快速成型碳纤维复合材料车身结构件。' },
	{ enterprise: '广州粤芯通信技术有限公司', region: '440112', org: '63318864', contact: '林峰', phone: '020-38771234', title: '5G小基站射频前端模组', field: 'electronicInformation', mode: 'grant', amount: 120, status: 'submitted', summary: '研发集成功放、滤波与开关的5G小基站射频前端模组。' },
	{ enterprise: '青岛海洋生物科技有限公司', region: '370212', org: '74912370', contact: '于海', phone: '0532-85901234', title: '海洋微藻DHA高效发酵制备技术', field: 'biomedicine', mode: 'grant', amount: 70, status: 'submitted', summary: '筛选高产DHA微藻菌株并建立高密度发酵工艺。' },
	{ enterprise: '长沙中联智慧农业科技有限公司', region: '430104', org: '59137726', contact: '唐亮', phone: '0731-84456789', title: '丘陵山区智能植保无人机', field: 'optoMechatronics', mode: 'grant', amount: 60, status: 'submitted', summary: '研制适用于丘陵山区复杂地形的仿地飞行植保无人机。' },
	{ enterprise: '厦门绿源环境工程有限公司', region: '350206', org: '67850341', contact: '许婷', phone: '0592-57712345', title: '餐厨垃圾厌氧发酵制生物天然气成套装备', field: 'resourcesEnvironment', mode: 'grant', amount: 110, status: 'submitted', summary: '开发模块化餐厨垃圾处理及沼气提纯装备。' },
	{ enterprise: '郑州宇辰信息技术有限公司', region: '410105', org: '72046918', contact: '郭鹏', phone: '0371-63345678', title: '基于国产密码算法的电子政务安全网关', field: 'electronicInformation', mode: 'grant', amount: 80, status: 'rejected', rejection: '申报材料中缺少经审计的上一年度财务报表，且申请金额超过一般项目资助上限。', summary: '研发支持SM2/SM3/SM4国产密码算法的安全网关设备。' },
	{ enterprise: '沈阳北方重型机械有限公司', region: '210106', org: '24231567', contact: '刘东', phone: '024-25671234', title: '大型矿山破碎机节能改造', field: 'optoMechatronics', mode: 'grant', amount: 150, status: 'rejected', rejection: '企业职工人数超过500人，不符合科技型中小企业申报条件。', summary: '对大型颚式破碎机进行变频节能改造。' },
	{ enterprise: '昆明云药生物制药有限公司', region: '530111', org: '65087439', contact: '杨帆', phone: '0871-68123456', title: '三七总皂苷新型缓释制剂', field: 'biomedicine', mode: 'grant', amount: 90, status: 'rejected', rejection: '本企业本年度已通过其他推荐单位申报创新基金项目，不得重复申报。', summary: '开发三七总皂苷口服缓释片及其质量标准。' },
	{ enterprise: '重庆渝新智能网联汽车科技有限公司', region: '500112', org: '78812655', contact: '邓超', phone: '023-67981234', title: '车路协同边缘计算路侧单元', field: 'electronicInformation', mode: 'grant', amount: 100, status: 'draft', summary: '研发支持C-V2X的路侧感知与边缘计算一体化设备。' }
];
