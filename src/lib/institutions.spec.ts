import { describe, expect, it } from 'vitest';
import { normalizeInstitution, sameInstitution } from './institutions';

describe('institution names', () => {
	it('treat legal-form, region and width variants as one institution', () => {
		expect(sameInstitution('北京清能光伏科技股份有限公司', '清能光伏科技（北京）有限公司')).toBe(true);
		expect(sameInstitution('北京清能光伏科技股份有限公司', '北京清能光伏科技有限公司 ')).toBe(true);
		expect(sameInstitution('深圳市华芯微电子有限公司', '深圳华芯微电子有限公司')).toBe(true);
		expect(sameInstitution('ＡＢＣ Technology Co., Ltd.', 'abc technology')).toBe(true);
		expect(sameInstitution('中国人民大学商学院', '中国人民大学')).toBe(true);
	});

	it('keep different institutions apart', () => {
		expect(sameInstitution('清华大学', '北京大学')).toBe(false);
		expect(sameInstitution('中国科学院微电子研究所', '中国科学院化学研究所')).toBe(false);
		expect(sameInstitution('北京智芯感知科技有限公司', '北京智芯科技有限公司')).toBe(false);
		// Too short to count as a prefix of something else.
		expect(sameInstitution('华为', '华为技术有限公司')).toBe(false);
		expect(sameInstitution('', '')).toBe(false);
	});

	it('normalizes to a stable key', () => {
		expect(normalizeInstitution(' 北京 清能光伏科技股份有限公司 ')).toBe('清能光伏科技');
	});
});
