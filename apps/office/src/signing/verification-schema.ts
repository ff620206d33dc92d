import { z } from 'zod';

// The API form of @vanban/pki's FileVerification: what a clerk's screen shows of a file's signatures.

const findingSchema = z.object({ code: z.string(), vi: z.string(), en: z.string(), detail: z.string().optional() }).describe('Finding');
const verdictSchema = z.enum(['valid', 'invalid', 'indeterminate']);
const certificateSchema = z
  .object({
    subject: z.string(),
    issuer: z.string(),
    serial: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
    agencyCode: z.string().optional(),
  })
  .describe('CertificateSummary');
const revocationSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('good'), source: z.enum(['ocsp', 'crl']), checkedAt: z.date() }),
    z.object({ status: z.literal('revoked'), source: z.enum(['ocsp', 'crl']), revokedAt: z.date(), reason: z.string() }),
    z.object({ status: z.literal('unknown'), why: z.string() }),
  ])
  .nullable();
const common = {
  signer: certificateSchema.nullable(),
  chain: z.array(certificateSchema),
  integrity: z.boolean(),
  revocation: revocationSchema,
  judgedAt: z.string(),
  findings: z.array(findingSchema),
  verdict: verdictSchema,
};
const pdfSignatureSchema = z
  .object({
    kind: z.literal('pdf'),
    field: z.string().nullable(),
    subFilter: z.string().nullable(),
    coversWholeFile: z.boolean(),
    claimedTime: z.string().nullable(),
    timestamp: z.object({ time: z.string(), authority: certificateSchema.nullable() }).nullable(),
    ...common,
  })
  .describe('PdfSignature');
const xmlSignatureSchema = z.object({ kind: z.literal('xml'), ...common }).describe('XmlSignature');

export const verificationSchema = z
  .object({
    kind: z.enum(['pdf', 'edxml', 'xml']),
    signatures: z.array(z.discriminatedUnion('kind', [pdfSignatureSchema, xmlSignatureSchema])),
    attachments: z.array(
      z.object({
        contentId: z.string(),
        sha256: z.string(),
        size: z.number().int(),
        pdf: z.boolean(),
        signatures: z.array(pdfSignatureSchema),
        findings: z.array(findingSchema),
        verdict: verdictSchema,
      }),
    ),
    findings: z.array(findingSchema),
    verdict: verdictSchema,
  })
  .describe('FileVerification');
