// Exports in the formats the center files with: DOCX (headings, lists, tables, links, Chinese
// fonts: 宋体 for text, 黑体 for headings), and Markdown (prosemirror-markdown, with GitHub
// tables added). Both work from the ProseMirror JSON of the content, so a locked document
// exports exactly its final content.
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
import { defaultMarkdownSerializer, MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { PMNode } from '$lib/editor/extensions';
import { contentNode, safeHref } from './render';

type Mark = NonNullable<PMNode['marks']>[number];
const hasMark = (n: PMNode, type: string) => n.marks?.some((m) => m.type === type) ?? false;
const markOf = (n: PMNode, type: string): Mark | undefined => n.marks?.find((m) => m.type === type);

// ---------- Markdown ----------

const base = defaultMarkdownSerializer;

/**
 * GitHub tables, which prosemirror-markdown does not write: a cell's paragraphs and line
 * breaks become <br> (a Markdown table row is one line), and a | in the text is escaped.
 */
function table(state: MarkdownSerializerState, node: ProseMirrorNode) {
	const rows: string[][] = [];
	node.forEach((row) => {
		const cells: string[] = [];
		row.forEach((cell) => {
			const md = serialize(cell).trim();
			cells.push(md.replace(/\\\n/g, '<br>').replace(/\n+/g, '<br>').replace(/\|/g, '\\|') || ' ');
		});
		rows.push(cells);
	});
	if (rows.length === 0) return;
	const width = Math.max(...rows.map((r) => r.length));
	const line = (cells: string[]) => `| ${[...cells, ...Array(width - cells.length).fill(' ')].join(' | ')} |`;
	for (const text of [line(rows[0]), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(line)]) {
		state.write(text);
		state.ensureNewLine();
	}
	state.closeBlock(node);
}

const markdown = new MarkdownSerializer(
	{
		doc: (state, node) => state.renderContent(node),
		text: base.nodes.text,
		paragraph: base.nodes.paragraph,
		heading: base.nodes.heading,
		blockquote: base.nodes.blockquote,
		codeBlock: base.nodes.code_block,
		horizontalRule: base.nodes.horizontal_rule,
		hardBreak: base.nodes.hard_break,
		listItem: (state, node) =>
			node.forEach((child, _, i) => {
				// In a tight list an ordered list not starting at 1 cannot follow the item's text on the
				// next line (CommonMark reads it as that text's continuation): a blank line first.
				if (i > 0 && child.type.name === 'orderedList' && Number(child.attrs.start ?? 1) !== 1) state.write();
				state.render(child, node, i);
			}),
		bulletList: (state, node) => state.renderList(node, '  ', () => '- '),
		orderedList: (state, node) => {
			const start = Number(node.attrs.start ?? 1);
			const width = String(start + node.childCount - 1).length;
			state.renderList(node, ' '.repeat(width + 2), (i) => `${String(start + i).padStart(width)}. `);
		},
		table
	},
	{
		bold: base.marks.strong,
		italic: base.marks.em,
		code: base.marks.code,
		strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
		underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
		link: {
			open: (_state, mark) => (safeHref(mark.attrs.href) ? '[' : ''),
			close: (_state, mark) => {
				const href = safeHref(mark.attrs.href);
				return href ? `](${href.replace(/\s/g, encodeURIComponent).replace(/\(/g, '%28').replace(/\)/g, '%29')})` : '';
			},
			mixable: true
		}
	},
	// Every < escaped too, so no text of the document reads as raw HTML or an autolink where the
	// Markdown is shown (a > alone starts neither; at a line's start prosemirror-markdown escapes it).
	{ hardBreakNodeName: 'hardBreak', escapeExtraCharacters: /</g }
);
const serialize = (node: ProseMirrorNode) => markdown.serialize(node, { tightLists: true });

/** The content as CommonMark with GitHub tables. */
export function toMarkdown(doc: PMNode): string {
	return serialize(contentNode(doc)).replace(/\n*$/, '\n');
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
		const safe = safeHref(href);
		out.push(safe ? new ExternalHyperlink({ link: safe, children: [run] }) : run);
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
