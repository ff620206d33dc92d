import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';

/** Offset of the last cross-reference section, from the `startxref` at the end of the file. */
export function lastXrefOffset(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 2048))).toString('latin1');
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)(?![\s\S]*startxref)/.exec(tail);
  if (!match) throw new Error('the PDF has no startxref: it is damaged or truncated');
  return Number(match[1]);
}

/**
 * Makes new objects numbered after every number the file already uses. pdf-lib forgets the
 * numbers of cross-reference and object streams, so without this a new object could take the
 * number of the original cross-reference stream.
 */
export function reserveObjectNumbers(pdf: Uint8Array, doc: PDFDocument): void {
  const prev = lastXrefOffset(pdf);
  const section = Buffer.from(pdf.subarray(prev)).toString('latin1');
  const size = Number(/\/Size\s+(\d+)/.exec(section)?.[1] ?? 0);
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, size - 1);
}

function objectBytes(ref: PDFRef, object: PDFObject): Buffer {
  const body = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(body, 0);
  return Buffer.concat([
    Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'),
    body,
    Buffer.from('\nendobj\n', 'latin1'),
  ]);
}

/**
 * Appends an incremental update holding `refs` (as they now are in `doc`) to the original bytes,
 * leaving every original byte in place: this is what keeps earlier signatures valid. The new
 * cross-reference section has the same form as the previous one (table or stream), so readers
 * that handle the original handle the update.
 */
export function appendIncrement(original: Uint8Array, doc: PDFDocument, refs: PDFRef[]): Uint8Array {
  const prev = lastXrefOffset(original);
  const classic = Buffer.from(original.subarray(prev, prev + 4)).toString('latin1') === 'xref';
  const context = doc.context;
  const sorted = [...new Map(refs.map((r) => [r.objectNumber, r])).values()].sort((a, b) => a.objectNumber - b.objectNumber);
  const separator = original[original.length - 1] === 0x0a ? '' : '\n';
  const parts: Buffer[] = [Buffer.from(original), Buffer.from(separator, 'latin1')];
  let offset = original.length + separator.length;
  const offsets = new Map<number, number>();
  for (const ref of sorted) {
    const object = context.lookup(ref);
    if (!object) throw new Error(`object ${ref.objectNumber} is missing`);
    const bytes = objectBytes(ref, object);
    offsets.set(ref.objectNumber, offset);
    parts.push(bytes);
    offset += bytes.length;
  }
  const trailer = context.trailerInfo;
  if (classic) {
    const size = context.largestObjectNumber + 1;
    let table = 'xref\n';
    for (const ref of sorted) {
      table += `${ref.objectNumber} 1\n${String(offsets.get(ref.objectNumber)).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n \n`;
    }
    const dict = PDFDict.withContext(context);
    dict.set(PDFName.of('Size'), PDFNumber.of(size));
    if (trailer.Root) dict.set(PDFName.of('Root'), trailer.Root);
    if (trailer.Info) dict.set(PDFName.of('Info'), trailer.Info);
    if (trailer.ID) dict.set(PDFName.of('ID'), trailer.ID);
    dict.set(PDFName.of('Prev'), PDFNumber.of(prev));
    parts.push(Buffer.from(`${table}trailer\n${dict.toString()}\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  } else {
    const xrefNumber = context.largestObjectNumber + 1;
    offsets.set(xrefNumber, offset);
    const entries = [...sorted.map((r) => r.objectNumber), xrefNumber];
    const rows = Buffer.alloc(entries.length * 7);
    entries.forEach((n, i) => {
      rows[i * 7] = 1;
      rows.writeUInt32BE(offsets.get(n)!, i * 7 + 1);
      rows.writeUInt16BE(n === xrefNumber ? 0 : sorted.find((r) => r.objectNumber === n)!.generationNumber, i * 7 + 5);
    });
    const dict = PDFDict.withContext(context);
    dict.set(PDFName.of('Type'), PDFName.of('XRef'));
    dict.set(PDFName.of('Size'), PDFNumber.of(xrefNumber + 1));
    dict.set(PDFName.of('W'), context.obj([1, 4, 2]) as PDFArray);
    dict.set(PDFName.of('Index'), context.obj(entries.flatMap((n) => [n, 1])) as PDFArray);
    dict.set(PDFName.of('Prev'), PDFNumber.of(prev));
    if (trailer.Root) dict.set(PDFName.of('Root'), trailer.Root);
    if (trailer.Info) dict.set(PDFName.of('Info'), trailer.Info);
    if (trailer.ID) dict.set(PDFName.of('ID'), trailer.ID);
    dict.set(PDFName.of('Length'), PDFNumber.of(rows.length));
    const stream = PDFRawStream.of(dict, rows);
    parts.push(objectBytes(PDFRef.of(xrefNumber), stream), Buffer.from(`startxref\n${offset}\n%%EOF\n`, 'latin1'));
  }
  return new Uint8Array(Buffer.concat(parts));
}
