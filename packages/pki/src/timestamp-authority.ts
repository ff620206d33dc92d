import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { pkijs, positiveRandom, wholeSeconds } from './x509.js';
import { DIGEST_NAMES, sha256 } from './algorithms.js';
import { OID, contentInfoDer, signCms } from './cms.js';
import type { SigningKey } from './signing-key.js';

/** Our timestamp policy: a UUID-based OID (2.25, ITU-T X.667), which needs no registration. */
export const TIMESTAMP_POLICY = '2.25.197506440216395123441282312934516426313';

function refusal(failBit: number, text: string): Uint8Array {
  const failInfo = new Uint8Array(4);
  failInfo[failBit >> 3] = 0x80 >> (failBit & 7);
  return new Uint8Array(
    new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({
        status: pkijs.PKIStatus.rejection,
        statusStrings: [new asn1js.Utf8String({ value: text })],
        failInfo: new asn1js.BitString({ valueHex: failInfo.slice(0, (failBit >> 3) + 1), unusedBits: 7 - (failBit & 7) }),
      }),
    })
      .toSchema()
      .toBER(),
  );
}

export interface TimestampOptions {
  /** The TSA's key; its certificate has the critical timeStamping extended key usage. */
  tsa: SigningKey;
  now: Date;
}

/** Answers a DER RFC 3161 TimeStampReq with a DER TimeStampResp; bad requests get a rejection, not an exception. */
export async function answerTimestamp(requestDer: Uint8Array, options: TimestampOptions): Promise<Uint8Array> {
  let request: pkijs.TimeStampReq;
  try {
    request = pkijs.TimeStampReq.fromBER(requestDer);
  } catch {
    return refusal(5, 'malformed request'); // badDataFormat
  }
  const imprint = request.messageImprint;
  const algorithm = DIGEST_NAMES[imprint.hashAlgorithm.algorithmId];
  if (algorithm === undefined) return refusal(0, 'unsupported hash algorithm'); // badAlg
  if (imprint.hashedMessage.valueBlock.valueHexView.length !== createHash(algorithm).digest().length)
    return refusal(5, 'digest length does not match its algorithm');
  if (request.reqPolicy !== undefined && request.reqPolicy !== TIMESTAMP_POLICY) return refusal(15, 'unaccepted policy'); // unacceptedPolicy
  const info = new pkijs.TSTInfo({
    version: 1,
    policy: TIMESTAMP_POLICY,
    messageImprint: imprint,
    serialNumber: new asn1js.Integer({ valueHex: positiveRandom(12) }),
    genTime: wholeSeconds(options.now),
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
  const infoDer = new Uint8Array(info.toSchema().toBER());
  const token = await signCms({
    signer: options.tsa,
    contentType: OID.tstInfo,
    contentDigest: sha256(infoDer),
    encapsulated: infoDer,
    includeCertificates: request.certReq === true,
  });
  return new Uint8Array(
    new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
      timeStampToken: pkijs.ContentInfo.fromBER(contentInfoDer(token)),
    })
      .toSchema()
      .toBER(),
  );
}

/** A request for a timestamp over `data` (in PAdES: the signature value), asking for the TSA's certificate. */
export function timestampRequest(data: Uint8Array): Uint8Array {
  return new Uint8Array(
    new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: sha256(data) }),
      }),
      nonce: new asn1js.Integer({ valueHex: positiveRandom(8) }),
      certReq: true,
    })
      .toSchema()
      .toBER(),
  );
}
