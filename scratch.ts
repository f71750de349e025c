import * as Y from 'yjs';
import { jsonOf, docFromJSON, replaceContent } from './src/lib/server/documents/content';
import { shapeProblem, vocabularyProblem, checkTransaction, readContent } from './src/lib/server/documents/shape';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
const base = docFromJSON({ type: 'doc', content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '标题' }] }, { type: 'paragraph', content: [{type:'text', text:'正文', marks:[{type:'bold'}]}] }] });
console.log('base', shapeProblem(base), JSON.stringify(jsonOf(base)));
function attack(name: string, f: (d: Y.Doc) => void) {
  const a = new Y.Doc(); Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(a);
  const evil = new Y.Doc(); Y.applyUpdate(evil, Y.encodeStateAsUpdate(base));
  f(evil);
  const u = Y.encodeStateAsUpdate(evil, sv);
  const shadow = new Y.Doc(); Y.applyUpdate(shadow, Y.encodeStateAsUpdate(base)); shadow.getXmlFragment('default');
  let problem: string | null = null;
  shadow.transact((tr) => { Y.applyUpdate(shadow, u); try { checkTransaction(shadow, tr) } catch (e) { problem = (e as Error).message } });
  const fresh = new Y.Doc(); Y.applyUpdate(fresh, Y.encodeStateAsUpdate(base)); Y.applyUpdate(fresh, u);
  let old: string;
  try { old = JSON.stringify(yXmlFragmentToProsemirrorJSON(fresh.getXmlFragment('default'))).slice(0, 100) } catch (e) { old = 'THROWS ' + (e as Error).message }
  console.log(name, '| incremental:', problem, '| full:', shapeProblem(fresh), '| old jsonOf:', old, '| lenient:', JSON.stringify(readContent(fresh)).slice(0, 160));
  replaceContent(fresh, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'restored' }] }] });
  console.log('   after restore', shapeProblem(fresh), JSON.stringify(jsonOf(fresh)));
}
attack('honest', (d) => { const p = new Y.XmlElement('paragraph'); const t = new Y.XmlText(); t.insert(0, 'hi', { italic: {} }); p.insert(0, [t]); d.getXmlFragment('default').insert(2, [p]); });
attack('ytext root', (d) => { (d.share.delete('default')); const t = d.get('default', Y.Text) as Y.Text; t.insert(0, 'evil'); });
attack('unknown node', (d) => { d.getXmlFragment('default').insert(0, [new Y.XmlElement('script')]); });
attack('unknown mark', (d) => { const p = d.getXmlFragment('default').get(1) as Y.XmlElement; (p.get(0) as Y.XmlText).format(0, 1, { blink: {} }); });
attack('bad attr value', (d) => { (d.getXmlFragment('default').get(0) as Y.XmlElement).setAttribute('level', -5 as unknown as string); });
attack('unknown attr', (d) => { (d.getXmlFragment('default').get(0) as Y.XmlElement).setAttribute('onclick', 'x'); });
attack('extra root', (d) => { d.getMap('evil').set('a', 1); });
attack('text at root', (d) => { const t = new Y.XmlText(); t.insert(0, 'loose'); d.getXmlFragment('default').insert(0, [t]); });
attack('js href', (d) => { const p = d.getXmlFragment('default').get(1) as Y.XmlElement; (p.get(0) as Y.XmlText).format(0, 1, { link: { href: 'javascript:alert(1)' } }); });
attack('empty doc (tier2)', (d) => { const f = d.getXmlFragment('default'); f.delete(0, f.length); });
