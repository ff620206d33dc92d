import { readEdxml, describeProblem, STATUS_CODES, type Problem, type ReadResult } from '@vanban/edxml';
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';

const HELP = `vanban edxml validate FILE [--json]
  Checks an edXML package or status message (QCVN 102:2016): well-formedness, limits,
  schema and rules. Exit code 0 when valid, 1 when not, 2 when the file cannot be read.
vanban edxml inspect FILE [--json]
  Prints the header, the manifest and each attachment (name, type, size, SHA-256).`;

async function read(file: string): Promise<ReadResult> {
  const declaredLength = statSync(file).size;
  return readEdxml(createReadStream(file, { highWaterMark: 256 * 1024 }), { declaredLength });
}

function printProblems(title: string, problems: Problem[]): void {
  if (!problems.length) return;
  console.log(title);
  for (const p of problems) console.log(`  ${describeProblem(p, 'vi')}\n    ${describeProblem(p, 'en')}`);
}

function summary(result: Extract<ReadResult, { ok: true }>) {
  if (result.kind === 'status') {
    const s = result.status;
    return { kind: 'status' as const, status: s, statusLabel: STATUS_CODES[s.status] };
  }
  const { manifest, attachments, signature, ...header } = result.package;
  return {
    kind: 'package' as const,
    header,
    signature: signature.kind,
    manifest,
    attachments: attachments.map((a) => {
      const reference = manifest.find((r) => r.contentId === a.contentId);
      return {
        contentId: a.contentId,
        name: reference?.name ?? null,
        type: reference?.contentType ?? null,
        size: a.size,
        sha256: a.sha256,
        sniffed: a.sniffed,
      };
    }),
  };
}

export const command: Command = {
  summary: 'Validate or inspect an edXML package or status message',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    const [action, file] = positionals;
    if (values.help || !file || (action !== 'validate' && action !== 'inspect')) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    let result: ReadResult;
    try {
      result = await read(file);
    } catch (err) {
      console.error(`Không đọc được tệp / cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    if (values.json) {
      const report = result.ok
        ? { valid: true, warnings: result.warnings, ...(action === 'inspect' ? summary(result) : { kind: result.kind }) }
        : { valid: false, problems: result.problems };
      console.log(JSON.stringify(report, null, 2));
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      printProblems(`${file}: KHÔNG HỢP LỆ / INVALID (${result.problems.length})`, result.problems);
      return 1;
    }
    if (action === 'inspect') console.log(JSON.stringify(summary(result), null, 2));
    console.log(
      `${file}: hợp lệ / valid (${result.kind === 'package' ? 'gói tin văn bản / document package' : 'gói tin trạng thái / status message'})`,
    );
    printProblems('Lưu ý / warnings:', result.warnings);
    return 0;
  },
};
