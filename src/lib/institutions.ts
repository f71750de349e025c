// Institution names compared as people mean them: "北京清能光伏科技股份有限公司" and
// "清能光伏科技（北京）有限公司" are the same employer, so are "中科院化学所" and
// "中国科学院化学研究所". Used by conflict detection, which compares thousands of pairs: so
// names are turned into keys once (normalizeInstitution) and keys compared (sameInstitutionKey).

const SUFFIXES = [
	'股份有限公司',
	'有限责任公司',
	'有限合伙',
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

const PROVINCES = [
	'北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南',
	'湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆',
	'香港', '澳门'
];
const CITIES = [
	'深圳', '广州', '杭州', '南京', '苏州', '武汉', '成都', '西安', '合肥', '长沙', '厦门', '青岛', '郑州', '沈阳', '昆明', '大连',
	'宁波', '无锡', '济南', '哈尔滨', '长春', '石家庄', '太原', '福州', '南昌', '南宁', '贵阳', '兰州', '海口', '东莞', '佛山', '珠海',
	'常州', '温州', '烟台', '潍坊', '徐州', '绍兴', '嘉兴', '泉州', '洛阳', '唐山', '呼和浩特', '乌鲁木齐', '银川', '西宁', '拉萨'
];
// Longest first, so "内蒙古自治区" goes before "内蒙古".
const REGIONS = [
	...PROVINCES.flatMap((p) => [`${p}省`, `${p}市`, `${p}自治区`, `${p}壮族自治区`, `${p}回族自治区`, `${p}维吾尔自治区`, `${p}特别行政区`, p]),
	...CITIES.flatMap((c) => [`${c}市`, c]),
	'中国'
].sort((a, b) => b.length - a.length);

/** Common short forms, rewritten to the full name before comparing. */
const ALIASES: [RegExp, string][] = [
	[/^中科院/, '中国科学院'],
	[/研究所$/, '所']
];

/** Names of public bodies, whose place name is part of the name itself. */
const PUBLIC_BODY = /大学|学院|研究院|研究所|科学院|医院|实验室|学校|所$/;

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
	for (const [pattern, replacement] of ALIASES) s = s.replace(pattern, replacement);
	// A company's name starts with where it is registered (行政区划 + 字号 + 行业 + 组织形式):
	// a province, then a city. Universities and institutes keep theirs: 上海交通大学 is not
	// 西安交通大学.
	if (!PUBLIC_BODY.test(s)) {
		for (let round = 0; round < 2; round++) {
			const region = REGIONS.find((r) => s.length > r.length + 1 && s.startsWith(r));
			if (!region) break;
			s = s.slice(region.length);
		}
	}
	return s.replace(/[.,]/g, '');
}

/**
 * True when two keys denote the same institution. One may name a part of the other
 * ("中国人民大学商学院" works at "中国人民大学"), so a key of at least four characters that
 * starts the other counts.
 */
export function sameInstitutionKey(x: string, y: string): boolean {
	if (!x || !y) return false;
	if (x === y) return true;
	const [short, long] = x.length <= y.length ? [x, y] : [y, x];
	return short.length >= PREFIX_MIN && long.startsWith(short);
}

/** Keys shorter than this only match exactly ("华为" is not every company starting with 华为). */
export const PREFIX_MIN = 4;

export function sameInstitution(a: string, b: string): boolean {
	return sameInstitutionKey(normalizeInstitution(a), normalizeInstitution(b));
}

/**
 * An index of keys for finding every key that matches a given one without comparing against
 * all of them: keys that can match share their first PREFIX_MIN characters, or are equal.
 */
export class InstitutionIndex<T> {
	private byPrefix = new Map<string, { key: string; value: T }[]>();
	private byKey = new Map<string, T[]>();

	add(name: string, value: T): void {
		const key = normalizeInstitution(name);
		if (!key) return;
		if (key.length >= PREFIX_MIN) {
			const head = key.slice(0, PREFIX_MIN);
			const list = this.byPrefix.get(head) ?? [];
			list.push({ key, value });
			this.byPrefix.set(head, list);
		} else {
			this.byKey.set(key, [...(this.byKey.get(key) ?? []), value]);
		}
	}

	/** Every value whose name denotes the same institution as `name`. */
	match(name: string): T[] {
		const key = normalizeInstitution(name);
		if (!key) return [];
		if (key.length < PREFIX_MIN) return this.byKey.get(key) ?? [];
		return (this.byPrefix.get(key.slice(0, PREFIX_MIN)) ?? []).filter((e) => sameInstitutionKey(e.key, key)).map((e) => e.value);
	}
}
