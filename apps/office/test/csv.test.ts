import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readCsv } from '../src/directory/csv.js';

const cols = ['code', 'name'] as const;

describe('reading CSV files', () => {
  it('reads UTF-8 with a byte-order mark, Vietnamese text and quoted commas, numbering lines as a spreadsheet does', () => {
    const text = '\uFEFFcode,name\n000.00.01.H99,"Sở Tài chính, tỉnh Bình An"\n\n000.00.02.H99,Sở Y tế\n';
    const result = readCsv(Buffer.from(text), cols);
    assert.ok(result.ok);
    assert.deepEqual(result.rows, [
      { line: 2, values: { code: '000.00.01.H99', name: 'Sở Tài chính, tỉnh Bình An' } },
      { line: 4, values: { code: '000.00.02.H99', name: 'Sở Y tế' } },
    ]);
  });

  it('reads semicolon-separated files as Excel writes them in Vietnamese locales', () => {
    const result = readCsv(Buffer.from('name;code\nSở Y tế;000.00.02.H99\n'), cols);
    assert.ok(result.ok);
    assert.deepEqual(result.rows[0]?.values, { code: '000.00.02.H99', name: 'Sở Y tế' });
  });

  it('refuses a file that is not UTF-8', () => {
    const latin1 = Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe0, 0x0a]);
    const result = readCsv(latin1, cols);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.vi, /UTF-8/);
  });

  it('names the missing and unknown columns of a wrong header', () => {
    const result = readCsv(Buffer.from('code,title\n1,2\n'), cols);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.en, /missing name; unknown title/);
  });

  it('refuses malformed quoting', () => {
    const result = readCsv(Buffer.from('code,name\n"unterminated,x\n'), cols);
    assert.equal(result.ok, false);
  });
});
