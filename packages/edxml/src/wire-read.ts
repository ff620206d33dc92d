/** From the element tree to the model: wire names end here. Tolerant of the forms real writers use. */
import { readDate, readTimestamp } from './dates.js';
import { elementPath } from './reader.js';
import { problem, type Problem } from './problem.js';
import {
  BUSINESS_KINDS,
  URGENCIES,
  type AttachmentDigest,
  type Business,
  type EdxmlPackage,
  type ManifestReference,
  type Organization,
  type PackageSignature,
  type ResponseFor,
  type Staff,
  type StatusMessage,
} from './model.js';
import type { StatusCode } from './status-codes.js';
import { DSIG_NS, serialize, type XmlElement } from './xml-tree.js';

export type Message = { kind: 'package'; package: EdxmlPackage } | { kind: 'status'; status: StatusMessage };

export class TreeReader {
  readonly problems: Problem[] = [];
  private readonly parents = new Map<XmlElement, XmlElement>();

  constructor(
    readonly root: XmlElement,
    private readonly digests: readonly AttachmentDigest[],
  ) {
    const walk = (e: XmlElement) => e.children.forEach((c) => (this.parents.set(c, e), walk(c)));
    walk(root);
  }

  path(element: XmlElement, leaf?: string): string {
    const stack: XmlElement[] = [];
    for (let e: XmlElement | undefined = element; e; e = this.parents.get(e)) stack.unshift(e);
    return elementPath(stack) + (leaf ? `/${leaf}` : '');
  }

  message(): Message {
    const envelope = this.root.local === 'edXMLEnvelope' ? this.root : child(this.root, 'edXMLEnvelope');
    const header = envelope && child(envelope, 'edXMLHeader');
    if (this.root.local === 'Status') return { kind: 'status', status: this.status(this.root) };
    const status = header && child(header, 'Status');
    if (status) return { kind: 'status', status: this.status(status) };
    return { kind: 'package', package: this.package(envelope!, header!) };
  }

  private package(envelope: XmlElement, header: XmlElement): EdxmlPackage {
    const h = child(header, 'MessageHeader')!;
    const code = child(h, 'Code');
    const promulgation = child(h, 'PromulgationInfo');
    const type = child(h, 'DocumentType');
    const signer = child(h, 'SignerInfo');
    const other = child(h, 'OtherInfo');
    const toPlaces = child(h, 'ToPlaces');
    const appendixes = other && child(other, 'Appendixes');
    const traceList = child(header, 'TraceHeaderList');
    const business = traceList && child(traceList, 'Bussiness');
    const manifest = child(envelope, 'edXMLBody') && child(child(envelope, 'edXMLBody')!, 'edXMLManifest');
    const encoded = child(this.root, 'AttachmentEncoded') ?? child(envelope, 'AttachmentEncoded');
    return dropUndefined({
      from: this.organization(child(h, 'From')!),
      to: children(h, 'To').map((t) => this.organization(t)),
      documentId: code_(h, 'DocumentId'),
      number: code_(code, 'CodeNumber') ?? '',
      notation: code_(code, 'CodeNotation') ?? '',
      issuePlace: text(promulgation, 'Place'),
      issueDate: this.date(promulgation, 'PromulgationDate') ?? '',
      documentTypeCode: code_(type, 'Type'),
      documentTypeDetail: text(type, 'TypeDetail'),
      documentTypeName: text(type, 'TypeName') ?? '',
      subject: text(h, 'Subject') ?? '',
      content: text(h, 'Content'),
      signer:
        signer &&
        dropUndefined({ competence: text(signer, 'Competence'), position: text(signer, 'Position'), fullName: text(signer, 'FullName') }),
      dueDate: this.optionalDate(h, 'DueDate'),
      recipientsText: toPlaces && children(toPlaces, 'Place').map((p) => p.text),
      urgency: this.urgency(other),
      sphereOfPromulgation: text(other, 'SphereOfPromulgation'),
      typistNotation: text(other, 'TyperNotation'),
      copies: this.count(other, 'PromulgationAmount'),
      pages: this.count(other, 'PageAmount'),
      appendixes: appendixes && children(appendixes, 'Appendix').map((a) => a.text),
      responseFor: children(h, 'ResponseFor').map((r) => this.responseFor(r)),
      steeringType: text(h, 'SteeringType'),
      traces: traceList
        ? children(traceList, 'TraceHeader').map((t) => ({
            agencyCode: code_(t, 'OrganId') ?? '',
            at: this.timestamp(t, 'Timestamp') ?? '',
          }))
        : [],
      business: business && this.business(business),
      signature: this.signature(header),
      manifest: manifest ? children(manifest, 'Reference').map((r) => this.reference(r)) : [],
      attachments: encoded ? children(encoded, 'Attachment').flatMap((a) => this.attachment(a)) : [],
    });
  }

  private organization(e: XmlElement): Organization {
    return dropUndefined({
      agencyCode: code_(e, 'OrganId') ?? '',
      organizationInCharge: text(e, 'OrganizationInCharge'),
      name: text(e, 'OrganName'),
      address: text(e, 'OrganAdd'),
      email: text(e, 'Email'),
      telephone: text(e, 'Telephone'),
      fax: text(e, 'Fax'),
      website: text(e, 'Website'),
    });
  }

  private responseFor(e: XmlElement): ResponseFor {
    return {
      agencyCode: code_(e, 'OrganId') ?? '',
      code: text(e, 'Code') ?? '',
      issueDate: this.date(e, 'PromulgationDate') ?? '',
      documentId: code_(e, 'DocumentId') ?? '',
    };
  }

  private staff(e: XmlElement | undefined): Staff | undefined {
    return (
      e && dropUndefined({ department: text(e, 'Department'), name: text(e, 'Staff'), email: text(e, 'Email'), mobile: text(e, 'Mobile') })
    );
  }

  private business(e: XmlElement): Business {
    const kindCode = Number(code_(e, 'BussinessDocType'));
    const kind = BUSINESS_KINDS[kindCode];
    if (!kind) {
      this.problems.push(
        problem(
          this.path(e, 'BussinessDocType'),
          'business-kind-known',
          `Loại nghiệp vụ "${code_(e, 'BussinessDocType')}" không có (0 đến 3).`,
          `Business kind "${code_(e, 'BussinessDocType')}" is unknown (0 to 3).`,
        ),
      );
    }
    const info = child(e, 'BussinessDocumentInfo');
    const receivers = info && child(info, 'ReceiverList');
    const replacements = child(e, 'ReplacementInfoList');
    const paper = code_(e, 'Paper');
    return dropUndefined({
      kind: kind ?? 'new',
      reason: text(e, 'BussinessDocReason'),
      documentId: code_(e, 'DocumentId'),
      paperCopyFollows: paper === undefined ? undefined : paper === '1',
      staff: this.staff(child(e, 'StaffInfo')),
      documentInfo:
        info &&
        dropUndefined({
          documentInfo: text(info, 'DocumentInfo'),
          documentReceiver: text(info, 'DocumentReceiver'),
          receivers: receivers
            ? children(receivers, 'Receiver').map((r) => ({
                receiverType: code_(r, 'ReceiverType') ?? '',
                agencyCode: code_(r, 'OrganId') ?? '',
              }))
            : [],
        }),
      replacements:
        replacements &&
        children(replacements, 'ReplacementInfo').map((r) => ({
          documentId: code_(r, 'DocumentId') ?? '',
          agencyCodes: children(child(r, 'OrganIdList'), 'OrganId').map((o) => o.text.trim()),
        })),
    });
  }

  private signature(header: XmlElement): PackageSignature {
    const element = header.children.find((c) => c.local === 'Signature');
    if (!element) return { kind: 'none' };
    return { kind: element.uri === DSIG_NS ? 'xmldsig' : 'placeholder', xml: serialize(element) };
  }

  private reference(e: XmlElement): ManifestReference {
    return dropUndefined({
      contentId: code_(e, 'ContentId') ?? '',
      contentType: code_(e, 'ContentType') ?? '',
      name: text(e, 'AttachmentName') ?? '',
      description: text(e, 'Description'),
    });
  }

  private attachment(e: XmlElement): AttachmentDigest[] {
    const body = child(e, 'ContentTransferEncoded');
    const digest = body?.attachmentIndex === undefined ? undefined : this.digests[body.attachmentIndex];
    return digest ? [digest] : [];
  }

  private status(e: XmlElement): StatusMessage {
    const code = code_(e, 'StatusCode') ?? '';
    return dropUndefined({
      responseFor: this.responseFor(child(e, 'ResponseFor')!),
      from: this.organization(child(e, 'From')!),
      // An unknown code stays as written, for the status-code rule to name.
      status: code as StatusCode,
      description: text(e, 'Description'),
      at: this.timestamp(e, 'Timestamp') ?? '',
      staff: this.staff(child(e, 'StaffInfo')),
    });
  }

  private urgency(other: XmlElement | undefined): EdxmlPackage['urgency'] {
    const raw = code_(other, 'Priority');
    if (raw === undefined || raw === '') return 'normal';
    const urgency = URGENCIES[Number(raw)];
    if (!urgency) {
      this.problems.push(
        problem(
          this.path(other!, 'Priority'),
          'priority-known',
          `Độ khẩn "${raw}" không có (0 đến 4).`,
          `Priority "${raw}" is unknown (0 to 4).`,
        ),
      );
      return 'normal';
    }
    return urgency;
  }

  private count(e: XmlElement | undefined, name: string): number | undefined {
    const raw = code_(e, name);
    return raw === undefined ? undefined : Number(raw);
  }

  private date(e: XmlElement | undefined, name: string): string | undefined {
    return this.dated(e, name, readDate);
  }

  private optionalDate(e: XmlElement | undefined, name: string): string | undefined {
    return code_(e, name) === '' ? undefined : this.date(e, name);
  }

  private timestamp(e: XmlElement | undefined, name: string): string | undefined {
    return this.dated(e, name, readTimestamp);
  }

  /** An unreadable date stays as written, for the date rule to name. */
  private dated(e: XmlElement | undefined, name: string, read: (text: string) => string | null): string | undefined {
    const raw = code_(e, name);
    return raw === undefined ? undefined : (read(raw) ?? raw);
  }
}

function child(e: XmlElement | undefined, local: string): XmlElement | undefined {
  return e?.children.find((c) => c.local === local);
}

function children(e: XmlElement | undefined, local: string): XmlElement[] {
  return e ? e.children.filter((c) => c.local === local) : [];
}

/** Free text, exactly as written. */
function text(e: XmlElement | undefined, local: string): string | undefined {
  return child(e, local)?.text;
}

/** A code, id, number or date: surrounding whitespace means nothing. */
function code_(e: XmlElement | undefined, local: string): string | undefined {
  return child(e, local)?.text.trim();
}

/** Absent elements leave no key, so that a model read back equals the one written. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
