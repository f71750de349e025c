// A synthetic call for the assignment benchmark and tests: applications and experts spread
// over the seven fields, some experts working at applicant enterprises (conflicts), all drawn
// from a seeded generator so every run sees the same input.
import { drawRandom } from '../../src/lib/assignment/draw';

export const FIELDS = ['electronicInformation', 'biomedicine', 'newMaterials', 'optoMechatronics', 'resourcesEnvironment', 'newEnergy', 'highTechServices'];

export interface ScenarioApplication {
	id: string;
	number: string;
	field: string;
	enterpriseName: string;
}

export interface ScenarioExpert {
	id: string;
	kind: 'technical' | 'finance';
	primaryField: string;
	secondaryFields: string[];
	institution: string;
}

function uuidFrom(random: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function scenario(options: { applications: number; experts: number; financeShare?: number; conflictShare?: number; seed?: string }) {
	const random = drawRandom(options.seed ?? 'bench', 'scenario');
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
	const applications: ScenarioApplication[] = Array.from({ length: options.applications }, (_, i) => ({
		id: uuidFrom(random),
		number: `BENCH-${String(i + 1).padStart(5, '0')}`,
		field: pick(FIELDS),
		enterpriseName: `测试企业${i + 1}科技有限公司`
	}));
	const financeCount = Math.round(options.experts * (options.financeShare ?? 0.16));
	const experts: ScenarioExpert[] = Array.from({ length: options.experts }, (_, i) => {
		const primaryField = pick(FIELDS);
		const secondaryFields = [...new Set([pick(FIELDS), pick(FIELDS)])].filter((f) => f !== primaryField);
		// Some experts work at an applicant: the conflict must be found from the names.
		const conflicted = random() < (options.conflictShare ?? 0.05);
		const institution = conflicted ? `${pick(['北京', '上海', '深圳市'])}测试企业${1 + Math.floor(random() * options.applications)}科技股份有限公司` : `第${i + 1}研究院`;
		return { id: uuidFrom(random), kind: i < financeCount ? 'finance' : 'technical', primaryField, secondaryFields, institution };
	});
	return { applications, experts };
}
