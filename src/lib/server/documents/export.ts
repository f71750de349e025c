// Exports in the formats the center files with: DOCX (headings, lists, tables, links, Chinese
// fonts: 宋体 for text, 黑体 for headings), and Markdown. Both work from the ProseMirror JSON
// of the content, so a locked document exports exactly its final content.
import {
	AlignmentType,
	BorderStyle,
	Document,
	ExternalHyperlink,
	Footer,
	HeadingLevel,
	LevelFormat,
	Packer,
	PageNumber,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type ParagraphChild
} from 'docx';
import type { PMNode } from '$lib/editor/extensions';

type Mark = NonNullable<PMNode['marks']>[number];
const hasMark = (n: PMNode, type: string) => n.marks?.some((m) => m.type === type) ?? false;
const markOf = (n: PMNode, type: string): Mark | undefined => n.marks?.find((m) => m.type === type);

// ---------- Markdown ----------

function escapeMd(text: string): string {
	return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}

function inlineMd(nodes: PMNode[] | undefined, inTable = false): string {
	let out = '';
	for (const n of nodes ?? []) {
		if (n.type === 'hardBreak') {
			out += inTable ? '<br>' : '\\\n';
			continue;
		}
		if (n.type !== 'text') continue;
		let t = hasMark(n, 'code') ? '`' + (n.text ?? '').replace(/`/g, '\\`') + '`' : escapeMd(n.text ?? '');
		if (inTable) t = t.replace(/\|/g, '\\|');
		if (hasMark(n, 'bold')) t = `**${t}**`;
		if (hasMark(n, 'italic')) t = `*${t}*`;
		if (hasMark(n, 'strike')) t = `~~${t}~~`;
		if (hasMark(n, 'underline')) t = `<u>${t}</u>`;
		const href = markOf(n, 'link')?.attrs?.href;
		if (typeof href === 'string') t = `[${t}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
		out += t;
	}
	return out;
}

function blockMd(node: PMNode, indent: string): string[] {
	switch (node.type) {
		case 'heading':
			return [`${'#'.repeat(Number(node.attrs?.level ?? 1))} ${inlineMd(node.content)}`, ''];
		case 'paragraph': {
			const text = inlineMd(node.content);
			// A paragraph starting like a list or heading marker would change meaning.
			return [text.replace(/^(\d+)\. /, '$1\\. ').replace(/^([#>+-]) /, '\\$1 '), ''];
		}
		case 'bulletList':
		case 'orderedList': {
			const lines: string[] = [];
			let n = Number(node.attrs?.start ?? 1);
			for (const item of node.content ?? []) {
				const marker = node.type === 'bulletList' ? '- ' : `${n++}. `;
				const inner = (item.content ?? []).flatMap((b) => blockMd(b, indent + ' '.repeat(marker.length))).filter((l, i, all) => !(l === '' && i === all.length - 1));
				inner.forEach((line, i) => {
					if (i === 0) lines.push(marker + line.trimStart());
					else lines.push(line === '' ? '' : ' '.repeat(marker.length) + line);
				});
			}
			return [...lines, ''];
		}
		case 'blockquote':
			return [...(node.content ?? []).flatMap((b) => blockMd(b, '')).map((l) => (l ? `> ${l}` : '>')), ''];
		case 'codeBlock':
			return ['```', ...(node.content ?? []).map((t) => t.text ?? '').join('').split('\n'), '```', ''];
		case 'horizontalRule':
			return ['---', ''];
		case 'table': {
			const rowsMd = (node.content ?? []).map((row) =>
				(row.content ?? []).map((cell) => (cell.content ?? []).map((b) => inlineMd(b.content, true)).join('<br>') || ' ')
			);
			if (rowsMd.length === 0) return [];
			const width = Math.max(...rowsMd.map((r) => r.length));
			const line = (cells: string[]) => `| ${[...cells, ...Array(width - cells.length).fill(' ')].join(' | ')} |`;
			return [line(rowsMd[0]), `|${' --- |'.repeat(width)}`, ...rowsMd.slice(1).map(line), ''];
		}
		default:
			return (node.content ?? []).flatMap((b) => blockMd(b, indent));
	}
}

/** The content as CommonMark with GitHub tables. */
export function toMarkdown(doc: PMNode): string {
	const lines = (doc.content ?? []).flatMap((b) => blockMd(b, ''));
	while (lines.length && lines[lines.length - 1] === '') lines.pop();
	return lines.join('\n') + '\n';
}

// ---------- DOCX ----------

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };
const HEADING_FONT = { ascii: 'Arial', hAnsi: 'Arial', eastAsia: '黑体', cs: 'Arial' };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];

function runs(nodes: PMNode[] | undefined): ParagraphChild[] {
	const out: ParagraphChild[] = [];
	for (const n of nodes ?? []) {
		if (n.type === 'hardBreak') {
			out.push(new TextRun({ text: '', break: 1 }));
			continue;
		}
		if (n.type !== 'text' || !n.text) continue;
		const href = markOf(n, 'link')?.attrs?.href;
		const run = new TextRun({
			text: n.text,
			bold: hasMark(n, 'bold') || undefined,
			italics: hasMark(n, 'italic') || undefined,
			strike: hasMark(n, 'strike') || undefined,
			underline: hasMark(n, 'underline') || typeof href === 'string' ? {} : undefined,
			color: typeof href === 'string' ? '1D4ED8' : undefined,
			font: hasMark(n, 'code') ? { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: '宋体' } : undefined
		});
		out.push(typeof href === 'string' && /^(https?:|mailto:)/i.test(href) ? new ExternalHyperlink({ link: href, children: [run] }) : run);
	}
	return out;
}

interface Context {
	/** The list the paragraph belongs to; `bullet` false for an item's second and later paragraphs. */
	list?: { reference: 'bullets' | 'numbers'; level: number; instance: number; bullet: boolean };
	quote?: boolean;
}

const INDENT = 420;

class DocxWriter {
	private instance = 0;

	blocks(nodes: PMNode[] | undefined, ctx: Context = {}): (Paragraph | Table)[] {
		return (nodes ?? []).flatMap((n) => this.block(n, ctx));
	}

	private paragraph(children: ParagraphChild[], ctx: Context): Paragraph {
		const { list, quote } = ctx;
		return new Paragraph({
			children,
			numbering: list?.bullet ? { reference: list.reference, level: list.level, instance: list.instance } : undefined,
			indent: list && !list.bullet ? { left: INDENT * (list.level + 1) } : quote ? { left: INDENT } : undefined,
			border: quote ? { left: { style: BorderStyle.SINGLE, size: 12, color: 'BBBBBB', space: 8 } } : undefined
		});
	}

	private block(node: PMNode, ctx: Context): (Paragraph | Table)[] {
		switch (node.type) {
			case 'heading': {
				const level = Math.min(Math.max(Number(node.attrs?.level ?? 1), 1), 4);
				return [new Paragraph({ heading: HEADINGS[level - 1], children: runs(node.content) })];
			}
			case 'paragraph':
				return [this.paragraph(runs(node.content), ctx)];
			case 'bulletList':
			case 'orderedList': {
				const list = {
					reference: node.type === 'bulletList' ? ('bullets' as const) : ('numbers' as const),
					level: ctx.list ? Math.min(ctx.list.level + 1, 8) : 0,
					instance: ++this.instance
				};
				// Only an item's first paragraph carries the bullet; the rest are indented under it.
				return (node.content ?? []).flatMap((item) =>
					(item.content ?? []).flatMap((b, i) => this.block(b, { ...ctx, list: { ...list, bullet: i === 0 } }))
				);
			}
			case 'blockquote':
				return this.blocks(node.content, { ...ctx, quote: true });
			case 'codeBlock':
				return [this.paragraph([new TextRun({ text: (node.content ?? []).map((t) => t.text ?? '').join(''), font: { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: '宋体' } })], ctx)];
			case 'horizontalRule':
				return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } }, children: [] })];
			case 'table':
				return [this.table(node), new Paragraph({ children: [] })];
			default:
				return this.blocks(node.content, ctx);
		}
	}

	private table(node: PMNode): Table {
		const rowsIn = node.content ?? [];
		const width = Math.max(1, ...rowsIn.map((r) => (r.content ?? []).reduce((s, c) => s + Number(c.attrs?.colspan ?? 1), 0)));
		return new Table({
			width: { size: 100, type: WidthType.PERCENTAGE },
			rows: rowsIn.map(
				(row) =>
					new TableRow({
						tableHeader: (row.content ?? []).every((c) => c.type === 'tableHeader') || undefined,
						children: (row.content ?? []).map((cell) => {
							const span = Number(cell.attrs?.colspan ?? 1);
							const content = this.blocks(cell.content);
							return new TableCell({
								columnSpan: span > 1 ? span : undefined,
								rowSpan: Number(cell.attrs?.rowspan ?? 1) > 1 ? Number(cell.attrs?.rowspan) : undefined,
								width: { size: Math.floor((100 / width) * span), type: WidthType.PERCENTAGE },
								shading: cell.type === 'tableHeader' ? { fill: 'EEF2F7' } : undefined,
								children: content.length ? content : [new Paragraph({ children: [] })]
							});
						})
					})
			)
		});
	}
}

export interface DocxMeta {
	title: string;
	/** A line under the content, e.g. who locked it and its SHA-256. */
	footer?: string;
}

/** The content as a Word document. */
export async function toDocx(doc: PMNode, meta: DocxMeta): Promise<Buffer> {
	const writer = new DocxWriter();
	const body = writer.blocks(doc.content);
	const bulletLevels = Array.from({ length: 9 }, (_, level) => ({
		level,
		format: LevelFormat.BULLET,
		text: ['●', '○', '■'][level % 3],
		alignment: AlignmentType.LEFT,
		style: { paragraph: { indent: { left: 420 * (level + 1), hanging: 420 } } }
	}));
	const numberLevels = Array.from({ length: 9 }, (_, level) => ({
		level,
		// 1.  (1)  a.  — the way Chinese official documents number nested items.
		format: level % 3 === 2 ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL,
		text: level % 3 === 1 ? `(%${level + 1})` : `%${level + 1}.`,
		alignment: AlignmentType.LEFT,
		style: { paragraph: { indent: { left: 420 * (level + 1), hanging: 420 } } }
	}));
	const document = new Document({
		title: meta.title,
		creator: 'Panelroom',
		styles: {
			default: {
				document: { run: { font: BODY_FONT, size: 24 }, paragraph: { spacing: { line: 360, after: 120 } } },
				heading1: { run: { font: HEADING_FONT, size: 36, bold: true, color: '111111' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } } },
				heading2: { run: { font: HEADING_FONT, size: 30, bold: true, color: '111111' }, paragraph: { spacing: { before: 240, after: 120 } } },
				heading3: { run: { font: HEADING_FONT, size: 26, bold: true, color: '111111' }, paragraph: { spacing: { before: 180, after: 100 } } },
				heading4: { run: { font: HEADING_FONT, size: 24, bold: true, color: '111111' } }
			}
		},
		numbering: {
			config: [
				{ reference: 'bullets', levels: bulletLevels },
				{ reference: 'numbers', levels: numberLevels }
			]
		},
		sections: [
			{
				properties: { page: { margin: { top: 1440, bottom: 1440, left: 1588, right: 1588 } } },
				footers: {
					default: new Footer({
						children: [
							...(meta.footer ? [new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: meta.footer, size: 16, color: '666666' })] })] : []),
							new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 18 })] })
						]
					})
				},
				children: body.length ? body : [new Paragraph({ children: [] })]
			}
		]
	});
	return Packer.toBuffer(document);
}
