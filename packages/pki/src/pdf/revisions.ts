import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

const name = (n: string) => PDFName.of(n);

function resolve(doc: PDFDocument, o: PDFObject | undefined): PDFObject | undefined {
  return o instanceof PDFRef ? doc.context.lookup(o) : o;
}

/** A signature field or its widget, a signature value or a document timestamp. */
function isSignaturePart(doc: PDFDocument, o: PDFObject | undefined): boolean {
  const d = resolve(doc, o);
  if (!(d instanceof PDFDict)) return false;
  const type = d.get(name('Type'));
  if (type === name('Sig') || type === name('DocTimeStamp')) return true;
  if (d.get(name('FT')) === name('Sig')) return true;
  const parent = resolve(doc, d.get(name('Parent')));
  return d.get(name('Subtype')) === name('Widget') && parent instanceof PDFDict && parent.get(name('FT')) === name('Sig');
}

function without(d: PDFDict, keys: string[]): string {
  return d
    .entries()
    .filter(([k]) => !keys.includes(k.asString().slice(1)))
    .map(([k, v]) => `${k.toString()} ${v.toString()}`)
    .sort()
    .join('\n');
}

/** A locked line of text laid on a page (the clerk's number and date of issue): shown to the reader, never silent. */
function isAddedText(doc: PDFDocument, o: PDFObject | undefined): boolean {
  const d = resolve(doc, o);
  return d instanceof PDFDict && d.get(name('Subtype')) === name('FreeText');
}

/**
 * Entries of `after` that `before` lacks must all be signature parts (or, in a page's annotations,
 * added lines of text); none may disappear.
 */
function onlySignaturesAdded(
  doc: PDFDocument,
  before: PDFObject | undefined,
  after: PDFObject | undefined,
  beforeDoc: PDFDocument,
  textAllowed = false,
): boolean {
  const items = (d: PDFDocument, o: PDFObject | undefined) => {
    const a = resolve(d, o);
    return a instanceof PDFArray ? a.asArray().map((x) => x.toString()) : [];
  };
  const old = items(beforeDoc, before);
  const now = items(doc, after);
  const nowArray = resolve(doc, after);
  if (old.some((x) => !now.includes(x))) return false;
  return now.every(
    (x, i) =>
      old.includes(x) ||
      (nowArray instanceof PDFArray && (isSignaturePart(doc, nowArray.get(i)) || (textAllowed && isAddedText(doc, nowArray.get(i))))),
  );
}

/** Whether `ref` is the annotation array of a page. */
function isAnnotsOfAPage(doc: PDFDocument, ref: PDFRef): boolean {
  return doc.getPages().some((p) => {
    const annots = p.node.get(name('Annots'));
    return annots instanceof PDFRef && annots.objectNumber === ref.objectNumber;
  });
}

/** A form written inside the catalog may only gain signature fields. */
function directFormOk(signed: PDFDocument, full: PDFDocument, before: PDFDict, after: PDFDict): boolean {
  const a = after.get(name('AcroForm'));
  if (!(a instanceof PDFDict)) return true;
  const b = before.get(name('AcroForm'));
  const fieldsBefore = b instanceof PDFDict ? b.get(name('Fields')) : undefined;
  return onlySignaturesAdded(full, fieldsBefore, a.get(name('Fields')), signed);
}

/** Streams compare by bytes: printing a large one as text costs more than the whole check. */
function same(a: PDFObject, b: PDFObject): boolean {
  if (a instanceof PDFRawStream && b instanceof PDFRawStream)
    return a.dict.toString() === b.dict.toString() && Buffer.from(a.contents).equals(b.contents);
  if (a instanceof PDFRawStream || b instanceof PDFRawStream) return false;
  return a.toString() === b.toString();
}

const CATALOG_EXTRAS = ['AcroForm', 'DSS', 'Perms'];
const FORM_EXTRAS = ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'];

/**
 * What later revisions changed in objects an earlier signature covered. Adding signatures (their
 * fields, widgets, appearances, the form and page annotation lists) is allowed, as in DocMDP level
 * 2; anything else (page content, resources, pages, other annotations) is a change of content.
 * Returns the object numbers changed beyond that; empty when only signatures were added.
 */
export function contentChanges(signed: PDFDocument, full: PDFDocument): string[] {
  const changes: string[] = [];
  const formRef = signed.catalog.get(name('AcroForm'));
  for (const [ref, after] of full.context.enumerateIndirectObjects()) {
    const before = signed.context.lookup(ref);
    if (before === undefined || same(before, after)) continue;
    let allowed = false;
    if (after instanceof PDFDict && before instanceof PDFDict) {
      const type = after.get(name('Type'));
      if (before.get(name('ByteRange')))
        allowed = false; // a signed signature value may never change
      else if (isSignaturePart(full, after)) allowed = true;
      else if (type === name('Catalog'))
        allowed = without(before, CATALOG_EXTRAS) === without(after, CATALOG_EXTRAS) && directFormOk(signed, full, before, after);
      else if (type === name('Page'))
        allowed =
          without(before, ['Annots']) === without(after, ['Annots']) &&
          onlySignaturesAdded(full, before.get(name('Annots')), after.get(name('Annots')), signed, true);
      else if (formRef instanceof PDFRef && ref.objectNumber === formRef.objectNumber)
        allowed =
          without(before, FORM_EXTRAS) === without(after, FORM_EXTRAS) &&
          onlySignaturesAdded(full, before.get(name('Fields')), after.get(name('Fields')), signed);
    } else if (after instanceof PDFArray) {
      // An indirect array changed: a page's annotations, or the form's fields.
      allowed = onlySignaturesAdded(full, before, after, signed, isAnnotsOfAPage(full, ref));
    }
    if (!allowed) changes.push(`${ref.objectNumber} ${ref.generationNumber} R`);
  }
  return changes;
}

/** The lines of text added on pages after the signed revision, as a reader would read them. */
export function addedTexts(signed: PDFDocument, full: PDFDocument): string[] {
  const texts: string[] = [];
  for (const [ref, after] of full.context.enumerateIndirectObjects()) {
    if (signed.context.lookup(ref) !== undefined || !isAddedText(full, after)) continue;
    const contents = (after as PDFDict).get(name('Contents'));
    texts.push(contents instanceof PDFHexString || contents instanceof PDFString ? contents.decodeText() : '');
  }
  return texts;
}
