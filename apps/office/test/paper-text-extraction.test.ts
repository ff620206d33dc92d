import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextExtractionError, extractText, hasUsableText, scanTypeOf } from '../src/incoming/text-extraction.js';
import { OneAtATime } from '../src/tools/one-at-a-time.js';
import { DECISION, paperPdf } from './paper-fixture.js';

describe('text-extraction: the text of an uploaded scan, with the real poppler and tesseract', () => {
  it('tells scans apart by their first bytes, not by their name', () => {
    assert.equal(scanTypeOf(Buffer.from('%PDF-1.7\n')), 'pdf');
    assert.equal(scanTypeOf(Buffer.concat([Buffer.from('\r\n\r\n'), Buffer.from('%PDF-1.4')])), 'pdf');
    assert.equal(scanTypeOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'png');
    assert.equal(scanTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(scanTypeOf(Buffer.from('II*\0')), 'tiff');
    assert.equal(scanTypeOf(Buffer.from('MM\0*')), 'tiff');
    assert.equal(scanTypeOf(Buffer.from('PK\u0003\u0004')), null);
    assert.equal(scanTypeOf(Buffer.alloc(0)), null);
  });

  it('takes a PDF’s Unicode text layer, but not an empty one nor one in a legacy font (TCVN3), where OCR does better', () => {
    assert.ok(hasUsableText('ỦY BAN NHÂN DÂN TỈNH BÌNH AN\nSố: 125/QĐ-UBND   Bình An, ngày 05 tháng 3 năm 2026\nQUYẾT ĐỊNH'));
    assert.ok(!hasUsableText('\f\f'));
    assert.ok(!hasUsableText('ñy ban nh©n d©n tØnh b×nh an\nSè: 125/Q§-UBND   B×nh An, ngµy 05 th¸ng 3 n¨m 2026\nQuyÕt ®Þnh'));
  });

  it('reads the text layer of a PDF', async () => {
    const read = await extractText(await paperPdf(DECISION));
    assert.equal(read.source, 'text_layer');
    assert.match(read.text, /Số: 125\/QĐ-UBND/);
  });

  it('says clearly when a PDF cannot be read or a tool is missing', async () => {
    await assert.rejects(
      extractText(Buffer.from('%PDF-1.4\ngarbage\n')),
      (e: unknown) => e instanceof TextExtractionError && e.problem === 'unreadable' && /pdftotext could not read the file/.test(e.message),
    );
    await assert.rejects(
      extractText(Buffer.from('hello')),
      (e: unknown) => e instanceof TextExtractionError && e.problem === 'unsupported',
    );
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(
        extractText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        (e: unknown) => e instanceof TextExtractionError && e.problem === 'tool_missing' && /tesseract-ocr/.test(e.message),
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('runs OCR jobs one at a time, in order, and turns away those past its capacity', async () => {
    const queue = new OneAtATime(2, (waiting) => new TextExtractionError('busy', `${waiting} waiting`));
    const log: string[] = [];
    let running = 0;
    const job =
      (name: string, fail = false) =>
      async () => {
        assert.equal(++running, 1, 'two jobs at once');
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const first = queue.run(job('a', true));
    const second = queue.run(job('b'));
    await assert.rejects(queue.run(job('c')), (e: unknown) => e instanceof TextExtractionError && e.problem === 'busy');
    await assert.rejects(first, /a/);
    assert.equal(await second, 'b');
    assert.equal(await queue.run(job('d')), 'd');
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start d', 'end d']);
  });
});
