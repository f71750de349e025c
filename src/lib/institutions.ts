// Institution names compared as people mean them: "北京清能光伏科技股份有限公司" and
// "清能光伏科技（北京）有限公司" are the same employer. Used by conflict detection.

const SUFFIXES = [
	'股份有限公司',
	'有限责任公司',
	'有限公司',
	'集团公司',
	'集团',
	'公司',
	'co.,ltd.',
	'co.,ltd',
	'co.ltd',
	'ltd.',
	'ltd',
	'inc.',
	'inc',
	'corporation',
	'corp.',
	'corp'
];

const REGIONS = [
	'北京市', '北京', '上海市', '上海', '天津市', '天津', '重庆市', '重庆', '深圳市', '深圳', '广州市', '广州', '杭州市', '杭州',
	'南京市', '南京', '苏州市', '苏州', '武汉市', '武汉', '成都市', '成都', '西安市', '西安', '合肥市', '合肥', '长沙市', '长沙',
	'厦门市', '厦门', '青岛市', '青岛', '郑州市', '郑州', '沈阳市', '沈阳', '昆明市', '昆明', '中国'
];

/** Full-width ASCII to half-width, lower case, no spaces or punctuation around words. */
function fold(s: string): string {
	return s
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s\u3000·・,，。.、'"“”‘’\-_/]+/g, (m) => (m.includes('.') || m.includes(',') ? m.replace(/[\s\u3000]/g, '') : ''));
}

/** A comparable key for an institution name. */
export function normalizeInstitution(name: string): string {
	let s = fold(name);
	// A region in brackets: 清能光伏科技（北京）有限公司.
	s = s.replace(/[(（][^()（）]*[)）]/g, '');
	let changed = true;
	while (changed) {
		changed = false;
		for (const suffix of SUFFIXES) {
			if (s.length > suffix.length + 1 && s.endsWith(suffix)) {
				s = s.slice(0, -suffix.length);
				changed = true;
			}
		}
	}
	for (const region of REGIONS) {
		if (s.length > region.length + 1 && s.startsWith(region)) {
			s = s.slice(region.length);
			break;
		}
	}
	return s.replace(/[.,]/g, '');
}

/**
 * True when two institution names denote the same institution. One may name a part of the
 * other ("中国人民大学商学院" works at "中国人民大学"), so a key that starts the other counts.
 */
export function sameInstitution(a: string, b: string): boolean {
	const x = normalizeInstitution(a);
	const y = normalizeInstitution(b);
	if (!x || !y) return false;
	if (x === y) return true;
	const [short, long] = x.length <= y.length ? [x, y] : [y, x];
	return short.length >= 4 && long.startsWith(short);
}
