import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import MarkdownIt from 'markdown-it';
import type { PMNode } from '$lib/editor/extensions';
import { toDocx, toMarkdown } from './export';

const text = (t: string, marks?: PMNode['marks']): PMNode => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const p = (...content: PMNode[]): PMNode => ({ type: 'paragraph', ...(content.length ? { content } : {}) });
const doc = (...content: PMNode[]): PMNode => ({ type: 'doc', content });
const link = (t: string, href: unknown): PMNode => text(t, [{ type: 'link', attrs: { href } }]);
const item = (...content: PMNode[]): PMNode => ({ type: 'listItem', content });
const cell = (type: 'tableCell' | 'tableHeader', ...content: PMNode[]): PMNode => ({ type, content });

// A Markdown viewer that lets raw HTML through, as many do: what the export says must still run nothing.
const viewer = new MarkdownIt({ html: true, linkify: false });

describe('toMarkdown from the attacker\'s side', () => {
	const attacks = [
		'<script>alert(1)</script>',
		'<img src=x onerror=alert(1)>',
		'\\<img src=x onerror=alert(1)\\>',
		'<https://evil.example>',
		'[click](javascript:alert(1))',
		'![x](javascript:alert(1))',
		'<a href="javascript:alert(1)">x</a>'
	];

	it('writes markup and Markdown syntax typed as text so that it stays text', () => {
		for (const attack of attacks) {
			const md = toMarkdown(
				doc(
					p(text(attack)),
					{ type: 'heading', attrs: { level: 2 }, content: [text(attack)] },
					{ type: 'bulletList', content: [item(p(text(attack)))] },
					{ type: 'blockquote', content: [p(text(attack))] },
					{ type: 'table', content: [{ type: 'tableRow', content: [cell('tableHeader', p(text(attack)))] }] }
				)
			);
			// The viewer escapes text, so each < left in its HTML opens a real tag.
			for (const tag of viewer.render(md).match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/<(script|img|a)\b|href|\son\w+=/i);
		}
	});

	it('drops links that are not http(s) or mailto, keeping their text', () => {
		for (const href of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '', 7, null]) {
			const md = toMarkdown(doc(p(text('见 '), link('点这里', href))));
			expect(md).toBe('见 点这里\n');
		}
	});

	it('keeps safe links, their parentheses and spaces encoded', () => {
		expect(toMarkdown(doc(p(link('指南', 'https://torch.example.cn/a b(c)'))))).toBe('[指南](https://torch.example.cn/a%20b%28c%29)\n');
		expect(viewer.render(toMarkdown(doc(p(link('指南', 'https://torch.example.cn/a b(c)')))))).toContain('href="https://torch.example.cn/a%20b%28c%29"');
	});
});

describe('toMarkdown', () => {
	it('escapes text that would start a list, a heading or a quote', () => {
		const md = toMarkdown(doc(p(text('1. 不是列表')), p(text('- 不是列表')), p(text('# 不是标题')), p(text('> 不是引用')), p(text('*强调* _下划线_ `代码`'))));
		expect(md).toBe('1\\. 不是列表\n\n\\- 不是列表\n\n\\# 不是标题\n\n\\> 不是引用\n\n\\*强调\\* \\_下划线\\_ \\`代码\\`\n');
		expect(viewer.render(md)).not.toMatch(/<(ol|ul|h1|blockquote|em|code)>/);
	});

	it('writes marks, code spans with backticks and code blocks with fences inside', () => {
		const md = toMarkdown(
			doc(
				p(text('粗', [{ type: 'bold' }]), text(' 斜', [{ type: 'italic' }]), text('下', [{ type: 'underline' }]), text('删', [{ type: 'strike' }]), text('a`b', [{ type: 'code' }])),
				{ type: 'codeBlock', content: [text('const a = 1;\n```\nb')] },
				p(text('第一行'), { type: 'hardBreak' }, text('第二行'))
			)
		);
		expect(md).toBe('**粗** *斜*<u>下</u>~~删~~`` a`b ``\n\n````\nconst a = 1;\n```\nb\n````\n\n第一行\\\n第二行\n');
	});

	it('nests lists under their item and keeps an ordered list\'s start', () => {
		const md = toMarkdown(
			doc({
				type: 'bulletList',
				content: [
					item(p(text('外层')), { type: 'orderedList', attrs: { start: 9 }, content: [item(p(text('九'))), item(p(text('十')), p(text('第二段')))] }),
					item(p(text('二')))
				]
			})
		);
		expect(md).toBe('- 外层\n\n   9. 九\n  10. 十\n\n      第二段\n- 二\n');
		const html = viewer.render(md).replace(/\s+/g, '');
		expect(html).toMatch(/^<ul><li>(<p>)?外层(<\/p>)?<olstart="9"><li>(<p>)?九(<\/p>)?<\/li><li><p>十<\/p><p>第二段<\/p><\/li><\/ol><\/li><li>(<p>)?二(<\/p>)?<\/li><\/ul>$/);
	});

	it('writes GitHub tables: a | escaped, cell paragraphs and line breaks as <br>, rows padded', () => {
		const md = toMarkdown(
			doc({
				type: 'table',
				content: [
					{ type: 'tableRow', content: [cell('tableHeader', p(text('支持|方式'))), cell('tableHeader', p(text('额度')))] },
					{ type: 'tableRow', content: [cell('tableCell', p(text('无偿资助'), { type: 'hardBreak' }, text('贷款贴息'))), cell('tableCell', p(text('100万')), p(text('200万')))] },
					{ type: 'tableRow', content: [cell('tableCell', p())] }
				]
			})
		);
		expect(md).toBe('| 支持\\|方式 | 额度 |\n| --- | --- |\n| 无偿资助<br>贷款贴息 | 100万<br>200万 |\n|   |   |\n');
	});

	it('exports content outside the schema without throwing (it is repaired first)', () => {
		const md = toMarkdown(doc({ type: 'iframe', attrs: { src: 'javascript:alert(1)' } } as PMNode, p(text('留下的'))));
		expect(md).toContain('留下的');
		expect(md).not.toMatch(/iframe|javascript:/);
	});
});

describe('toDocx', () => {
	it('makes only safe links into hyperlinks', async () => {
		const buffer = await toDocx(doc(p(link('安全', 'https://torch.example.cn'), link('危险', 'javascript:alert(1)'))), { title: 't' });
		const zip = await JSZip.loadAsync(buffer);
		const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
		expect(rels).toContain('https://torch.example.cn');
		expect(rels).not.toContain('javascript:');
		expect(await zip.file('word/document.xml')!.async('string')).toContain('危险');
	});
});
