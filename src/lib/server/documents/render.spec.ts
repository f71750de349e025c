import { describe, expect, it } from 'vitest';
import type { PMNode } from '$lib/editor/extensions';
import { compareContent, renderHtml } from './render';

const text = (t: string, marks?: PMNode['marks']): PMNode => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const p = (...content: PMNode[]): PMNode => ({ type: 'paragraph', ...(content.length ? { content } : {}) });
const doc = (...content: PMNode[]): PMNode => ({ type: 'doc', content });
const link = (t: string, href: unknown): PMNode => text(t, [{ type: 'link', attrs: { href } }]);

/** Every tag of the HTML (text is escaped, so each < opens a real tag). */
const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];

describe('renderHtml from the attacker\'s side', () => {
	const attacks = [
		'<script>alert(1)</script>',
		'<img src=x onerror=alert(1)>',
		'"><svg onload=alert(1)>',
		"' onmouseover='alert(1)",
		'<a href="javascript:alert(1)">x</a>'
	];

	it('escapes markup written as text, in every block', () => {
		for (const attack of attacks) {
			const html = renderHtml(
				doc(
					p(text(attack)),
					{ type: 'heading', attrs: { level: 2 }, content: [text(attack)] },
					{ type: 'codeBlock', content: [text(attack)] },
					{ type: 'bulletList', content: [{ type: 'listItem', content: [p(text(attack, [{ type: 'bold' }]))] }] },
					{ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text(attack))] }] }] }
				)
			);
			for (const tag of tags(html)) expect(tag).not.toMatch(/script|svg|img|\son\w+\s*=|javascript:/i);
			expect(html).toContain(attack.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
		}
	});

	it('drops links that are not http(s) or mailto, keeping their text', () => {
		const hrefs = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', '\tjavascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'ftp://x.cn', '', 7, null];
		for (const href of hrefs) {
			expect(renderHtml(doc(p(link('点这里', href))))).toBe('<p>点这里</p>');
		}
	});

	it('keeps safe links, with their quotes escaped', () => {
		expect(renderHtml(doc(p(link('指南', 'https://torch.example.cn/a?b=1&c="x" onclick="y'))))).toBe(
			'<p><a href="https://torch.example.cn/a?b=1&amp;c=&quot;x&quot; onclick=&quot;y" rel="noopener noreferrer" target="_blank">指南</a></p>'
		);
		expect(renderHtml(doc(p(link('写信', 'mailto:intake@torch.example.cn'))))).toContain('href="mailto:intake@torch.example.cn"');
	});

	it('renders no attribute the schema does not know, and escapes the values it does', () => {
		const html = renderHtml(
			doc(
				{ type: 'heading', attrs: { level: 1, onclick: 'alert(1)', style: 'x' }, content: [text('标题')] },
				{ type: 'paragraph', attrs: { onerror: 'alert(1)' }, content: [text('正文')] },
				{ type: 'codeBlock', attrs: { language: '"><script>alert(1)</script>' }, content: [text('x')] },
				{ type: 'orderedList', attrs: { start: '2" onmouseover="alert(1)' }, content: [{ type: 'listItem', content: [p(text('一'))] }] }
			)
		);
		for (const tag of tags(html)) expect(tag).not.toMatch(/<script|\son\w+\s*=\s*"|style="x"/i);
		expect(html).toContain('<h1>标题</h1>');
	});

	it('renders content outside the schema without throwing (it is repaired first)', () => {
		const html = renderHtml(doc({ type: 'iframe', attrs: { src: 'javascript:alert(1)' } } as PMNode, p(text('留下的'))));
		expect(html).toContain('留下的');
		expect(html).not.toMatch(/iframe|javascript:/);
	});
});

describe('renderHtml', () => {
	it('renders what the editor shows, with Tiptap\'s own HTML for each node', () => {
		const html = renderHtml(
			doc(
				{ type: 'heading', attrs: { level: 2 }, content: [text('一、支持重点')] },
				p(text('粗', [{ type: 'bold' }]), text('斜', [{ type: 'italic' }]), text('下', [{ type: 'underline' }]), text('删', [{ type: 'strike' }]), text('x', [{ type: 'code' }])),
				p(text('第一行'), { type: 'hardBreak' }, text('第二行')),
				{ type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [p(text('三'))] }] },
				{ type: 'blockquote', content: [p(text('引文'))] },
				{ type: 'horizontalRule' },
				{
					type: 'table',
					content: [
						{ type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 2 }, content: [p(text('表头'))] }] },
						{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('甲'))] }, { type: 'tableCell', content: [p(text('乙'))] }] }
					]
				}
			)
		);
		expect(html).toContain('<h2>一、支持重点</h2>');
		expect(html).toContain('<p><strong>粗</strong><em>斜</em><u>下</u><s>删</s><code>x</code></p>');
		expect(html).toContain('<p>第一行<br/>第二行</p>');
		expect(html).toContain('<ol start="3"><li><p>三</p></li></ol>');
		expect(html).toContain('<blockquote><p>引文</p></blockquote>');
		expect(html).toContain('<hr/>');
		expect(html).toMatch(/<th colspan="2" rowspan="1"><p>表头<\/p><\/th>/);
		expect(html).toMatch(/<td colspan="1" rowspan="1"><p>甲<\/p><\/td>/);
	});

	it('keeps the line of an empty paragraph', () => {
		expect(renderHtml(doc(p(text('上')), p(), p(text('下'))))).toBe('<p>上</p><p><br></p><p>下</p>');
	});
});

describe('compareContent', () => {
	it('marks a changed Chinese word, not the whole sentence or single characters', () => {
		const cmp = compareContent(
			doc(p(text('本年度重点支持七个技术领域中具有自主知识产权的项目。'))),
			doc(p(text('本年度重点支持八个技术领域中拥有自主知识产权的项目。')))
		);
		expect(cmp.changed).toBe(1);
		expect(cmp.html).toContain('本年度重点支持<del>七个</del><ins>八个</ins>技术领域中<del>具有</del><ins>拥有</ins>自主知识产权的项目。');
	});

	it('marks changed words in mixed Chinese and English, and escapes what it shows', () => {
		const cmp = compareContent(doc(p(text('采用 Yjs 协同编辑 <b>'))), doc(p(text('采用 Tiptap 协同编辑 <b>'))));
		expect(cmp.html).toContain('采用 <del>Yjs</del><ins>Tiptap</ins> 协同编辑 &lt;b&gt;');
	});

	it('shows an added block with its formatting, and its link only when it is safe', () => {
		const cmp = compareContent(
			doc(p(text('不变'))),
			doc(p(text('不变')), p(text('新增', [{ type: 'bold' }]), link('安全', 'https://torch.example.cn')), p(link('危险', 'javascript:alert(1)')))
		);
		expect(cmp.inserted).toBe(2);
		expect(cmp.html).toContain('<strong>新增</strong><a href="https://torch.example.cn" rel="noopener noreferrer" target="_blank">安全</a>');
		expect(cmp.html).toContain('危险');
		expect(cmp.html).not.toContain('javascript:');
	});
});
