// Demo expert pool: enough technical and finance experts without logins (the expert database
// holds many more people than have accounts) that a random draw with the default pool factor
// (3 × the experts needed, per kind) can be run on the demo call's unassigned applications
// (0008 high-tech services, 0009 opto-mechatronics, 0010 biomedicine: 2 technical + 1 finance
// each). Every one of those fields has at least 7 technical experts and the pool 4 finance
// experts, a little more than 3 × 2 and 3 × 1, so a conflict or a full load still leaves a draw.
import { and, eq, sql } from 'drizzle-orm';
import * as s from '$db/schema';
import type { SeedStep } from './step';
import { audit } from '../audit';
import type { DemoExpert } from './organization';

export const POOL_EXPERTS: DemoExpert[] = [
	{ name: '许文杰', institution: '中山大学', title: '教授', kind: 'technical', primaryField: 'biomedicine', secondaryFields: ['highTechServices', 'optoMechatronics', 'newEnergy'] },
	{ name: '顾明轩', institution: '南京大学', title: '教授', kind: 'technical', primaryField: 'highTechServices', secondaryFields: ['biomedicine', 'optoMechatronics', 'electronicInformation'] },
	{ name: '田雨桐', institution: '西安交通大学', title: '研究员', kind: 'technical', primaryField: 'optoMechatronics', secondaryFields: ['biomedicine', 'highTechServices', 'newMaterials'] },
	{ name: '邵建华', institution: '中国科学院电工研究所', title: '研究员', kind: 'technical', primaryField: 'newEnergy', secondaryFields: ['highTechServices', 'optoMechatronics', 'biomedicine'] },
	{ name: '廖春燕', institution: '同济大学', title: '教授', kind: 'technical', primaryField: 'resourcesEnvironment', secondaryFields: ['biomedicine', 'highTechServices', 'newEnergy'] },
	{ name: '彭立新', institution: '中央财经大学会计学院', title: '教授、注册会计师', kind: 'finance', primaryField: 'highTechServices', secondaryFields: ['newMaterials'] },
	{ name: '唐慧敏', institution: '信永中和会计师事务所', title: '高级会计师', kind: 'finance', primaryField: 'highTechServices', secondaryFields: ['biomedicine'] }
];

export const poolStep: SeedStep = {
	name: 'pool',
	async done(tx) {
		const [row] = await tx
			.select({ seq: s.auditLog.seq })
			.from(s.auditLog)
			.where(and(eq(s.auditLog.action, 'demo.seeded'), sql`${s.auditLog.details}->>'step' = 'pool'`))
			.limit(1);
		return !!row;
	},
	async run(tx) {
		for (const e of POOL_EXPERTS) {
			await tx.insert(s.experts).values({ userId: null, name: e.name, institution: e.institution, title: e.title, kind: e.kind, primaryField: e.primaryField, secondaryFields: e.secondaryFields });
		}
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'pool', experts: POOL_EXPERTS.length });
	}
};
