import { describe, expect, it } from 'vitest';
import { InstitutionIndex, normalizeInstitution, sameInstitution } from './institutions';

describe('institution names', () => {
	it('treat legal-form, region and width variants as one institution', () => {
		expect(sameInstitution('北京清能光伏科技股份有限公司', '清能光伏科技（北京）有限公司')).toBe(true);
		expect(sameInstitution('北京清能光伏科技股份有限公司', '北京清能光伏科技有限公司 ')).toBe(true);
		expect(sameInstitution('深圳市华芯微电子有限公司', '深圳华芯微电子有限公司')).toBe(true);
		expect(sameInstitution('ＡＢＣ Technology Co., Ltd.', 'abc technology')).toBe(true);
		expect(sameInstitution('中国人民大学商学院', '中国人民大学')).toBe(true);
	});

	it('see through more of the ways people write the same employer', () => {
		// Province and city before the name.
		expect(sameInstitution('江苏省苏州纳微新材料科技有限公司', '苏州纳微新材料科技有限公司')).toBe(true);
		expect(sameInstitution('广东省深圳市华芯微电子有限公司', '华芯微电子（深圳）有限公司')).toBe(true);
		expect(sameInstitution('内蒙古自治区包头稀土新材料有限公司', '包头稀土新材料有限公司')).toBe(true);
		// Legal forms: limited liability, joint stock, partnership, group.
		expect(sameInstitution('北京清能光伏科技有限责任公司', '北京清能光伏科技股份有限公司')).toBe(true);
		expect(sameInstitution('深圳创新投资合伙企业（有限合伙）', '深圳创新投资合伙企业')).toBe(true);
		expect(sameInstitution('海尔集团公司', '海尔集团')).toBe(true);
		// Spaces, full-width brackets and half-width ones, a middle dot.
		expect(sameInstitution('北京 清能光伏 科技有限公司', '清能光伏科技(北京)有限公司')).toBe(true);
		expect(sameInstitution('清能·光伏科技有限公司', '清能光伏科技有限公司')).toBe(true);
		// The Academy's short forms.
		expect(sameInstitution('中科院化学所', '中国科学院化学研究所')).toBe(true);
		expect(sameInstitution('中国科学院微电子所', '中国科学院微电子研究所')).toBe(true);
		// A department or branch belongs to its institution.
		expect(sameInstitution('清华大学电子工程系', '清华大学')).toBe(true);
		expect(sameInstitution('华为技术有限公司北京分公司', '华为技术有限公司')).toBe(true);
		// English legal forms and case.
		expect(sameInstitution('Qingneng PV Technology Corp.', 'QINGNENG PV TECHNOLOGY')).toBe(true);
	});

	it('keep different institutions apart', () => {
		expect(sameInstitution('清华大学', '北京大学')).toBe(false);
		expect(sameInstitution('中国科学院微电子研究所', '中国科学院化学研究所')).toBe(false);
		expect(sameInstitution('中科院微电子所', '中国科学院化学研究所')).toBe(false);
		expect(sameInstitution('北京智芯感知科技有限公司', '北京智芯科技有限公司')).toBe(false);
		expect(sameInstitution('上海交通大学', '西安交通大学')).toBe(false);
		expect(sameInstitution('北京清能光伏科技股份有限公司', '上海清源光伏科技有限公司')).toBe(false);
		// Too short to count as a prefix of something else.
		expect(sameInstitution('华为', '华为技术有限公司')).toBe(false);
		expect(sameInstitution('', '')).toBe(false);
	});

	it('normalizes to a stable key', () => {
		expect(normalizeInstitution(' 北京 清能光伏科技股份有限公司 ')).toBe('清能光伏科技');
		expect(normalizeInstitution('江苏省苏州纳微新材料科技有限公司')).toBe('纳微新材料科技');
	});

	it('an index finds the same matches as comparing every pair', () => {
		const names = ['北京清能光伏科技股份有限公司', '清华大学', '清华大学电子工程系', '中国人民大学商学院', '华为', '中科院化学所', '深圳市华芯微电子有限公司'];
		const queries = ['清能光伏科技（北京）有限公司', '清华大学', '中国人民大学', '华为', '华为技术有限公司', '中国科学院化学研究所', '华芯微电子（深圳）有限公司', '北京大学'];
		const index = new InstitutionIndex<string>();
		for (const n of names) index.add(n, n);
		for (const q of queries) expect(index.match(q).sort(), q).toEqual(names.filter((n) => sameInstitution(n, q)).sort());
	});
});
