import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { excerpt, fold, highlight, oneSlipAway, parseQuery, tsqueryOf } from '../src/search/terms.js';

describe('search terms: folding, query words, marked words, excerpts', () => {
  it('folds Vietnamese to plain lower-case letters, đ and Đ included', () => {
    assert.equal(fold('Đà Nẵng'), 'da nang');
    assert.equal(fold('VĂN BẢN ĐẾN'), 'van ban den');
    assert.equal(fold('Quyết định'.normalize('NFD')), 'quyet dinh');
    assert.equal(fold('ưu tiên Ỷ'), 'uu tien y');
  });

  it('makes every word of the query a prefix term, longest first, and nothing of tsquery syntax', () => {
    const q = parseQuery('  Văn bản   đến ');
    assert.deepEqual(q.terms, ['van', 'ban', 'den']);
    assert.equal(q.tsquery, 'van:* & ban:* & den:*');
    assert.equal(q.folded, 'van ban den');
    assert.equal(parseQuery('12/UBND-VP').tsquery, 'ubnd:* & 12:* & vp:*');
    assert.equal(parseQuery("a & !b | 'c':*").tsquery, 'a:* & b:* & c:*');
    assert.equal(parseQuery(' !? ').tsquery, null);
  });

  it('forgives typos only for a query long enough to mean something', () => {
    assert.equal(parseQuery('quyet dihn').fuzzy, true);
    assert.equal(parseQuery('vp').fuzzy, false);
    assert.equal(parseQuery('a b c').fuzzy, false);
  });

  it('knows the words one typing slip away: a letter left out, added, replaced, two swapped', () => {
    const slips = oneSlipAway('dihn');
    for (const w of ['dinh', 'din', 'dihnh', 'dign', 'idhn']) assert.ok(slips.includes(w), w);
    assert.ok(!slips.includes('dihn'));
    assert.ok(!slips.includes('dnih'));
    assert.ok(oneSlipAway('ab').every((w) => w.length >= 2));
  });

  it('asks for a mistyped word or any word it may have meant', () => {
    const meant = new Map([['dihn', ['dinh', 'dinhs']]]);
    assert.equal(tsqueryOf(['quyet', 'dihn'], meant), 'quyet:* & (dihn:* | dinh | dinhs)');
    assert.equal(tsqueryOf([], meant), null);
  });

  it('marks the words of a text that start with a word of the query, keeping the text as written', () => {
    const segments = highlight('Về việc tổng hợp văn bản đến, năm 2026', ['van', 'den', '202']);
    assert.deepEqual(segments.slice(0, 2), [
      { text: 'Về việc tổng hợp ', hit: false },
      { text: 'văn', hit: true },
    ]);
    assert.deepEqual(
      segments.filter((s) => s.hit).map((s) => s.text),
      ['văn', 'đến', '2026'],
    );
    assert.equal(segments.map((s) => s.text).join(''), 'Về việc tổng hợp văn bản đến, năm 2026');
    assert.deepEqual(highlight('Hà Nội', []), [{ text: 'Hà Nội', hit: false }]);
  });

  it('cuts an excerpt at whole words, with an ellipsis where the text goes on', () => {
    assert.equal(excerpt('ân sách năm\n\n  2026 được   giao cho', true, true), '… sách năm 2026 được giao …');
    assert.equal(excerpt('Kính gửi: Sở Tài chính.', false, false), 'Kính gửi: Sở Tài chính.');
  });
});
